/**
 * kubectl 1.32 and 1.33 send their built-in generators' objects (create namespace/configmap/secret/
 * deployment/service/serviceaccount, autoscale) as Kubernetes protobuf. Against a real engine each must
 * succeed and store the object JSON would have stored; a garbled protobuf body is a 400 that stores nothing.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, kubectl, startTestEngine, type TestEngine } from '../../test/harness';
import { envelope, int, mapStr, msg, str } from './test-encoder';

const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.32', '1.33'].map((v) => ({ version: v, path: join(KUBECTL_DIR, `kubectl.${v}`) }));

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; uid?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  type?: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const { version, path } of VERSIONS) {
  const present = existsSync(path);
  describe.skipIf(!present)(`kubectl ${version} generators over protobuf${present ? '' : ` (skipped: ${path} not installed)`}`, () => {
    let te: TestEngine;
    let k: ReturnType<typeof kubectl>;
    const ns = `pb-${version.replace('.', '-')}`;

    const ok = async (args: string[]): Promise<string> => {
      const r = await k(args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    };
    const get = async (what: string[]): Promise<Obj> => JSON.parse(await ok(['-n', ns, 'get', ...what, '-o', 'json'])) as Obj;

    beforeAll(async () => {
      te = await startTestEngine();
      k = kubectl(path, te);
    });
    afterAll(async () => {
      await te?.stop();
    });

    it('create namespace', async () => {
      expect(await ok(['create', 'namespace', ns])).toContain(`namespace/${ns} created`);
      const o = JSON.parse(await ok(['get', 'namespace', ns, '-o', 'json'])) as Obj;
      expect(o).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      expect(o.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('create configmap --from-literal / --from-file with binary data', async () => {
      expect(await ok(['-n', ns, 'create', 'configmap', 'cm1', '--from-literal=a=b', '--from-literal=c=d'])).toContain('configmap/cm1 created');
      expect(await get(['configmap', 'cm1'])).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'cm1', namespace: ns }, data: { a: 'b', c: 'd' } });
      const blob = join(te.stateDir, 'blob.bin');
      writeFileSync(blob, Buffer.from([0xff, 0x00, 0x01, 0xfe]));
      await ok(['-n', ns, 'create', 'configmap', 'bin1', `--from-file=blob=${blob}`, '--from-literal=k=v']);
      expect(await get(['configmap', 'bin1'])).toMatchObject({ data: { k: 'v' }, binaryData: { blob: '/wAB/g==' } });
    });

    it('create secret generic / docker-registry / tls', async () => {
      expect(await ok(['-n', ns, 'create', 'secret', 'generic', 's1', '--from-literal=user=admin', '--from-literal=pw=s3cr3t'])).toContain('secret/s1 created');
      const s1 = await get(['secret', 's1']);
      expect(s1.data).toEqual({ user: b64('admin'), pw: b64('s3cr3t') });
      expect(s1.type).toBe('Opaque');

      await ok(['-n', ns, 'create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p']);
      const reg = await get(['secret', 'reg']);
      expect(reg.type).toBe('kubernetes.io/dockerconfigjson');
      expect(JSON.parse(Buffer.from(reg.data?.['.dockerconfigjson'] ?? '', 'base64').toString())).toMatchObject({ auths: { 'r.example': { username: 'u', password: 'p' } } });

      const pki = join(te.stateDir, 'pki');
      await ok(['-n', ns, 'create', 'secret', 'tls', 'tls1', `--cert=${join(pki, 'server.crt')}`, `--key=${join(pki, 'server.key')}`]);
      const tls = await get(['secret', 'tls1']);
      expect(tls.type).toBe('kubernetes.io/tls');
      expect(Buffer.from(tls.data?.['tls.crt'] ?? '', 'base64').toString()).toContain('BEGIN CERTIFICATE');
    });

    it('create deployment --image --replicas=2', async () => {
      expect(await ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80'])).toContain('deployment.apps/web created');
      const d = await get(['deployment', 'web']);
      expect(d).toMatchObject({
        apiVersion: 'apps/v1',
        metadata: { labels: { app: 'web' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
        },
      });
      // Defaults applied as for a JSON create.
      expect(d.spec).toMatchObject({ strategy: { type: 'RollingUpdate' }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    });

    it('create service nodeport / clusterip', async () => {
      expect(await ok(['-n', ns, 'create', 'service', 'nodeport', 'svc1', '--tcp=80:8080'])).toContain('service/svc1 created');
      const svc = await get(['service', 'svc1']);
      expect(svc.spec).toMatchObject({ type: 'NodePort', selector: { app: 'svc1' }, ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }] });
      const port = (svc.spec?.ports as Array<{ nodePort?: number }>)[0];
      expect(port.nodePort).toBeGreaterThanOrEqual(30000);
      expect(svc.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

      await ok(['-n', ns, 'create', 'service', 'clusterip', 'svc2', '--tcp=443']);
      expect((await get(['service', 'svc2'])).spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 443, targetPort: 443 }] });
    });

    it('run --image --restart=Never', async () => {
      expect(await ok(['-n', ns, 'run', 'p1', '--image=busybox', '--restart=Never', '--labels=app=p1', '--', 'sleep', '3600'])).toContain('pod/p1 created');
      expect(await get(['pod', 'p1'])).toMatchObject({
        metadata: { labels: { app: 'p1' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'p1', image: 'busybox', args: ['sleep', '3600'] }] },
      });
    });

    it('create serviceaccount', async () => {
      expect(await ok(['-n', ns, 'create', 'serviceaccount', 'sa1'])).toContain('serviceaccount/sa1 created');
      expect(await get(['serviceaccount', 'sa1'])).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'sa1', namespace: ns } });
    });

    it('autoscale deployment --min --max --cpu-percent', async () => {
      // kubectl 1.32 posts an autoscaling/v1 object to /apis/autoscaling/v1 (1.33 posts v2): either way v2 is stored.
      expect(await ok(['-n', ns, 'autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=80'])).toContain('horizontalpodautoscaler.autoscaling/web autoscaled');
      expect(await get(['hpa', 'web'])).toMatchObject({
        apiVersion: 'autoscaling/v2',
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 2,
          maxReplicas: 5,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
        },
      });
    });

    it('a hand-built protobuf ConfigMap is stored and answered as JSON', async () => {
      const body = envelope('v1', 'ConfigMap', msg(1, str(1, 'raw'), mapStr(11, { via: 'protobuf' })), mapStr(2, { k: 'v' }), int(4, true));
      const r = await api(te, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { body, contentType: 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf,application/json' });
      expect(r.status).toBe(201);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.json()).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'raw', namespace: ns, labels: { via: 'protobuf' } }, data: { k: 'v' }, immutable: true });
    });

    it('garbled or mismatched protobuf bodies are rejected and store nothing', async () => {
      const before = (await api(te, 'GET', `/api/v1/namespaces/${ns}/configmaps`)).json() as { items: unknown[] };
      const valid = envelope('v1', 'ConfigMap', msg(1, str(1, 'never')), mapStr(2, { k: 'v' }));
      const bodies: Array<[Buffer, number, RegExp]> = [
        [Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01])]), 400, /protobuf/],
        [valid.subarray(0, valid.length - 3), 400, /protobuf/],
        [Buffer.from('not protobuf at all'), 400, /k8s/],
        [envelope('v1', 'Namespace', msg(1, str(1, 'never'))), 400, /kind/],
      ];
      for (const [body, code, message] of bodies) {
        const r = await api(te, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { body, contentType: 'application/vnd.kubernetes.protobuf' });
        expect(r.status).toBe(code);
        expect(r.json()).toMatchObject({ kind: 'Status', status: 'Failure', code });
        expect((r.json() as { message: string }).message).toMatch(message);
      }
      const after = (await api(te, 'GET', `/api/v1/namespaces/${ns}/configmaps`)).json() as { items: unknown[] };
      expect(after.items).toHaveLength(before.items.length);
      expect((await api(te, 'GET', `/api/v1/namespaces/${ns}/configmaps/never`)).status).toBe(404);
    });
  });
}
