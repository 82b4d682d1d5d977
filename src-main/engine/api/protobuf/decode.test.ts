import { describe, expect, it } from 'vitest';
import { StatusError } from '../../status';
import { decodeKubeProtobuf } from './envelope';
import { bytes, envelope, fixed32, fixed64, group, int, intOrString, mapQty, mapStr, msg, str, tag, time, varint } from './test-encoder';

/** An ObjectMeta as Go writes it: every non-pointer field present, empty or zero. */
function meta(name: string, ...extra: Buffer[]): Buffer {
  return msg(1, str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), int(7, 0), msg(8), ...extra);
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('decodeKubeProtobuf: objects', () => {
  it('decodes a Pod with the fields kubectl and common manifests use', () => {
    const container = Buffer.concat([
      str(1, 'app'),
      str(2, 'busybox:1.36'),
      str(3, 'sh'),
      str(3, '-c'),
      str(4, 'sleep 3600'),
      str(5, '/work'),
      msg(6, str(1, 'http'), int(2, 0), int(3, 8080), str(4, 'TCP'), str(5, '')),
      msg(19, str(1, 'CFG_'), msg(2, msg(1, str(1, 'settings')), int(2, true))),
      msg(7, str(1, 'PLAIN'), str(2, 'v')),
      msg(7, str(1, 'FROM_SECRET'), str(2, ''), msg(3, msg(4, msg(1, str(1, 'creds')), str(2, 'password')))),
      msg(7, str(1, 'POD_NAME'), msg(3, msg(1, str(1, 'v1'), str(2, 'metadata.name')))),
      msg(8, mapQty(1, { cpu: '500m', memory: '128Mi' }), mapQty(2, { cpu: '100m' })),
      msg(9, str(1, 'data'), int(2, true), str(3, '/data'), str(4, ''), str(6, '')),
      msg(10, msg(1, msg(2, str(1, '/healthz'), intOrString(2, 'http'), str(3, ''), str(4, 'HTTP'))), int(2, 5), int(3, 1), int(4, 10), int(5, 1), int(6, 3)),
      msg(11, msg(1, msg(3, intOrString(1, 8080), str(2, ''))), int(2, 0), int(3, 0)),
      str(13, '/dev/termination-log'),
      str(20, 'File'),
      str(14, 'IfNotPresent'),
      msg(15, msg(1, str(1, 'NET_ADMIN'), str(2, 'ALL')), int(2, false), int(4, 1000), int(8, 1), int(6, true)),
      int(16, true),
      int(17, false),
      int(18, true),
    ]);
    const spec = Buffer.concat([
      msg(1, str(1, 'data'), msg(2, msg(10, str(1, 'claim-a'), int(2, false)))),
      msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'settings')), msg(2, str(1, 'k'), str(2, 'k.txt'), int(3, 0o400)), int(3, 0o644)))),
      msg(1, str(1, 'scratch'), msg(2, msg(2, str(1, 'Memory'), msg(2, str(1, '64Mi'))))),
      msg(2, container),
      str(3, 'Never'),
      int(4, 0),
      str(6, 'ClusterFirst'),
      mapStr(7, { 'kubernetes.io/os': 'linux' }),
      str(8, 'runner'),
      str(9, ''),
      str(10, ''),
      int(11, false),
      msg(14, int(2, 1000), int(4, 10), int(4, 20), int(5, 2000)),
      msg(15, str(1, 'regcred')),
      str(19, 'default-scheduler'),
      msg(22, str(1, 'node-role'), str(2, 'Exists'), str(3, ''), str(4, 'NoSchedule')),
      msg(22, str(2, 'Exists'), str(4, 'NoExecute'), int(5, 300)),
      int(25, -5),
      int(30, false),
    ]);
    const body = envelope(
      'v1',
      'Pod',
      meta('web-0', mapStr(11, { app: 'web' }), mapStr(12, { note: '' }), time(8, 1_700_000_000, 5)),
      msg(2, spec),
      msg(3, str(1, ''), str(3, '')),
    );
    expect(decodeKubeProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', creationTimestamp: '2023-11-14T22:13:20Z', labels: { app: 'web' }, annotations: { note: '' } },
      spec: {
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'claim-a' } },
          { name: 'cfg', configMap: { name: 'settings', items: [{ key: 'k', path: 'k.txt', mode: 0o400 }], defaultMode: 0o644 } },
          { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        ],
        containers: [
          {
            name: 'app',
            image: 'busybox:1.36',
            command: ['sh', '-c'],
            args: ['sleep 3600'],
            workingDir: '/work',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings', optional: true } }],
            env: [
              { name: 'PLAIN', value: 'v' },
              { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            ],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
            volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
            livenessProbe: {
              httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
              initialDelaySeconds: 5,
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
            readinessProbe: { tcpSocket: { port: 8080 } },
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
            imagePullPolicy: 'IfNotPresent',
            securityContext: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, privileged: false, runAsUser: 1000, runAsGroup: 1, readOnlyRootFilesystem: true },
            stdin: true,
            tty: true,
          },
        ],
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 0,
        dnsPolicy: 'ClusterFirst',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        serviceAccountName: 'runner',
        securityContext: { runAsUser: 1000, supplementalGroups: [10, 20], fsGroup: 2000 },
        imagePullSecrets: [{ name: 'regcred' }],
        schedulerName: 'default-scheduler',
        tolerations: [
          { key: 'node-role', operator: 'Exists', effect: 'NoSchedule' },
          { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        priority: -5,
        enableServiceLinks: false,
      },
      status: {},
    });
  });

  it('keeps explicit zeros of pointer fields and drops zero values of the others', () => {
    const body = envelope(
      'apps/v1',
      'Deployment',
      meta('web'),
      msg(2, int(1, 0), msg(2), msg(3, msg(1), msg(2)), msg(4, str(1, 'RollingUpdate'), msg(2, intOrString(1, '25%'), intOrString(2, 0))), int(5, 0), int(6, 0), int(7, false), int(9, 600)),
      msg(3, int(1, 0), int(2, 0)),
    );
    expect(decodeKubeProtobuf(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: {},
        template: { metadata: {}, spec: {} },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } },
        revisionHistoryLimit: 0,
        progressDeadlineSeconds: 600,
      },
      status: {},
    });
  });

  it('keeps an explicitly empty storageClassName on a PersistentVolumeClaim', () => {
    const body = envelope(
      'v1',
      'PersistentVolumeClaim',
      meta('data'),
      msg(2, str(1, 'ReadWriteOnce'), msg(2, mapQty(2, { storage: '1Gi' })), str(3, ''), str(5, ''), str(6, 'Filesystem')),
      msg(3, str(1, '')),
    );
    expect(decodeKubeProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '', volumeMode: 'Filesystem' },
      status: {},
    });
  });

  it('decodes Services with named target ports and session affinity', () => {
    const body = envelope(
      'v1',
      'Service',
      meta('db'),
      msg(
        2,
        msg(1, str(1, 'pg'), str(2, 'TCP'), int(3, 5432), intOrString(4, 'postgres'), int(5, 30432)),
        mapStr(2, { app: 'db' }),
        str(3, 'None'),
        str(4, 'NodePort'),
        str(5, '10.0.0.9'),
        str(7, 'ClientIP'),
        msg(14, msg(1, int(1, 600))),
        str(17, 'SingleStack'),
        int(13, false),
      ),
      msg(3, msg(1)),
    );
    expect(decodeKubeProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db' },
      spec: {
        ports: [{ name: 'pg', protocol: 'TCP', port: 5432, targetPort: 'postgres', nodePort: 30432 }],
        selector: { app: 'db' },
        clusterIP: 'None',
        type: 'NodePort',
        externalIPs: ['10.0.0.9'],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
        ipFamilyPolicy: 'SingleStack',
      },
      status: { loadBalancer: {} },
    });
  });

  it('decodes Secrets and ConfigMaps with binary data as base64', () => {
    const secret = envelope('v1', 'Secret', meta('s'), msg(2, str(1, 'bin'), bytes(2, Buffer.from([0, 255, 1]))), mapStr(4, { plain: 'text' }), str(3, 'Opaque'), int(5, true));
    expect(decodeKubeProtobuf(secret)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      immutable: true,
      data: { bin: 'AP8B' },
      stringData: { plain: 'text' },
      type: 'Opaque',
    });
    const cm = envelope('v1', 'ConfigMap', meta('c'), msg(3, str(1, 'b'), bytes(2, Buffer.from('hi'))), int(4, false));
    expect(decodeKubeProtobuf(cm)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, immutable: false, binaryData: { b: 'aGk=' } });
  });

  it('decodes HorizontalPodAutoscalers in autoscaling/v1 and autoscaling/v2', () => {
    const ref = msg(1, str(1, 'Deployment'), str(2, 'web'), str(3, 'apps/v1'));
    const v1 = envelope('autoscaling/v1', 'HorizontalPodAutoscaler', meta('web'), msg(2, ref, int(2, 1), int(3, 4), int(4, 70)), msg(3, int(3, 0), int(4, 0)));
    expect(decodeKubeProtobuf(v1)).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 70 },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
    const v2 = envelope(
      'autoscaling/v2',
      'HorizontalPodAutoscaler',
      meta('web'),
      msg(
        2,
        ref,
        int(3, 10),
        msg(4, str(1, 'Resource'), msg(4, str(1, 'memory'), msg(2, str(1, 'AverageValue'), msg(3, str(1, '200Mi'))))),
        msg(5, msg(2, int(3, 60), str(1, 'Min'), msg(2, str(1, 'Pods'), int(2, 1), int(3, 15)))),
      ),
    );
    expect(decodeKubeProtobuf(v2)).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }] } },
      },
    });
  });
});

describe('decodeKubeProtobuf: wire-format details', () => {
  it('skips unknown fields of every wire type', () => {
    const body = envelope(
      'v1',
      'Namespace',
      int(99, 7),
      meta('ns', int(50, 1), fixed64(51, -1n), fixed32(52, 5), str(53, 'x'), group(54, int(1, 1), group(2, str(1, 'deep')))),
      fixed32(98, 1),
      msg(2, str(1, 'kubernetes'), msg(77, str(1, 'ignored'))),
    );
    expect(decodeKubeProtobuf(body)).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' }, spec: { finalizers: ['kubernetes'] } });
  });

  it('merges a message field that appears twice, as protobuf does', () => {
    const body = envelope('v1', 'ConfigMap', msg(1, str(1, 'a')), msg(1, mapStr(11, { x: '1' })), mapStr(2, { k: 'v1' }), mapStr(2, { k: 'v2' }));
    expect(decodeKubeProtobuf(body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: '1' } }, data: { k: 'v2' } });
  });

  it('accepts packed repeated integers', () => {
    const packed = bytes(4, Buffer.concat([varint(1), varint(2), varint(300)]));
    const body = envelope('v1', 'Pod', meta('p'), msg(2, msg(14, packed)));
    expect(decodeKubeProtobuf(body)).toMatchObject({ spec: { securityContext: { supplementalGroups: [1, 2, 300] } } });
  });

  it('gives map entries without a value the zero value and keeps odd keys as plain properties', () => {
    const body = envelope('v1', 'ConfigMap', meta('m', msg(11, str(1, '__proto__'), str(2, 'x'))), msg(2, str(1, 'empty')));
    const out = decodeKubeProtobuf(body);
    const labels = (out.metadata as Record<string, unknown>).labels as Record<string, unknown>;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(out.data).toEqual({ empty: '' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('decodes negative and 64-bit integers', () => {
    const body = envelope('v1', 'Pod', meta('p', int(10, 2 ** 40)), msg(2, int(5, 2 ** 52), int(25, -2147483648)));
    expect(decodeKubeProtobuf(body)).toMatchObject({ metadata: { deletionGracePeriodSeconds: 2 ** 40 }, spec: { activeDeadlineSeconds: 2 ** 52, priority: -2147483648 } });
  });

  it('prints times in RFC 3339 at second precision and leaves zero times out', () => {
    const body = envelope('v1', 'Namespace', meta('t', time(9, 0, 0)), msg(3, msg(2, str(1, 'Ready'), str(2, 'True'), time(4, 86400, 999))));
    expect(decodeKubeProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 't' },
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '1970-01-02T00:00:00Z' }] },
    });
  });
});

describe('decodeKubeProtobuf: bad input', () => {
  const ok = envelope('v1', 'Namespace', meta('ns'));

  it.each<[string, Buffer, number, RegExp]>([
    ['an empty body', Buffer.alloc(0), 400, /empty/],
    ['a body without the k8s magic', Buffer.from('{"kind":"Namespace"}'), 400, /k8s/],
    ['a truncated envelope', ok.subarray(0, 10), 400, /protobuf/],
    ['a length past the end', Buffer.concat([ok.subarray(0, 4), tag(2, 2), varint(1_000_000), Buffer.from('x')]), 400, /past the end/],
    ['an overlong varint', Buffer.concat([ok.subarray(0, 4), tag(5, 0), Buffer.alloc(11, 0xff)]), 400, /varint/],
    ['field number zero', Buffer.concat([ok.subarray(0, 4), Buffer.from([0x00, 0x00])]), 400, /field number/],
    ['a reserved wire type', Buffer.concat([ok.subarray(0, 4), tag(9, 6)]), 400, /wire type/],
    ['an unterminated group', Buffer.concat([ok.subarray(0, 4), tag(9, 3), int(1, 1)]), 400, /group/],
    ['a known field with the wrong wire type', envelope('v1', 'Namespace', msg(1, int(1, 5))), 400, /wrong wire type/],
    ['an int64 beyond 2^53', envelope('v1', 'Namespace', meta('n', int(10, 2n ** 60n))), 400, /too large/],
    ['an envelope without kind', Buffer.concat([ok.subarray(0, 4), msg(1, str(1, 'v1')), bytes(2, meta('x'))]), 400, /apiVersion and kind/],
    ['a content encoding', Buffer.concat([envelope('v1', 'Namespace', meta('n')), str(3, 'gzip')]), 400, /content encoding/],
    ['a kind without a field map', envelope('batch/v1', 'Job', meta('j')), 415, /Job \(batch\/v1\)/],
  ])('%s', (_name, body, code, message) => {
    const err = statusOf(() => decodeKubeProtobuf(body));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('never throws anything but a Status for any prefix or single-byte corruption of a valid body', () => {
    const body = envelope(
      'apps/v1',
      'Deployment',
      meta('web', mapStr(11, { app: 'web' })),
      msg(2, int(1, 2), msg(2, mapStr(1, { app: 'web' })), msg(3, meta('', mapStr(11, { app: 'web' })), msg(2, msg(2, str(1, 'nginx'), str(2, 'nginx')))), msg(4)),
    );
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const variants: Buffer[] = [];
    for (let i = 0; i < body.length; i++) variants.push(body.subarray(0, i));
    for (let i = 0; i < 2000; i++) {
      const copy = Buffer.from(body);
      copy[4 + Math.floor(rand() * (copy.length - 4))] = Math.floor(rand() * 256);
      variants.push(copy);
    }
    for (const v of variants) {
      try {
        decodeKubeProtobuf(v);
      } catch (err) {
        expect(err).toBeInstanceOf(StatusError);
        expect([400, 415]).toContain((err as StatusError).code);
      }
    }
  });
});
