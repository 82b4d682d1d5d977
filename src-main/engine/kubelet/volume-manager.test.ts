import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { ALL_RESOURCE_TYPES } from '../registry';
import type { ResourceType } from '../registry/resource-type';
import { SqliteStore } from '../store/sqlite-store';
import { dockerAvailable } from '../test/test-images';
import { LABEL_CLUSTER } from './labels';
import { DOCKER_VOLUME_CSI_DRIVER } from './volume-claim';
import { inspectVolume } from './volume-docker';
import { VolumeError, VolumeManager } from './volume-manager';
import { TestSandbox } from './volume-test-sandbox';

function type(plural: string): ResourceType {
  const t = ALL_RESOURCE_TYPES.find((x) => x.plural === plural);
  if (!t) throw new Error(plural);
  return t;
}

const docker = new Docker();
const available = await dockerAvailable(docker);
const SLEEP = ['sleep', '3600'];

describe.skipIf(!available)('VolumeManager (real Docker)', () => {
  const t = new TestSandbox(docker);
  let root = '';
  let service: ObjectService;
  let manager: VolumeManager;
  let podCount = 0;

  beforeAll(async () => {
    await t.init();
    root = mkdtempSync(join(tmpdir(), 'volumes-'));
    service = new ObjectService(new SqliteStore(join(root, 'db')), ALL_RESOURCE_TYPES);
    service.create(type('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    manager = new VolumeManager({ service, docker, stateDir: join(root, 'state'), clusterId: t.clusterId });
    manager.start();
  });
  afterAll(async () => {
    manager?.stop();
    await manager?.idle();
    await t.cleanup();
    service?.owners.stop();
    service?.store.close();
    // the checkpoint worker may still touch the database files: let it go before removing them
    await service?.store.whenClosed();
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  function createPod(spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject {
    return service.create(type('pods'), 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${++podCount}`, labels }, spec });
  }

  /** What the kubelet does: prepare, a sandbox holding the emptyDirs, then the containers with their mounts. */
  async function run(pod: KubeObject): Promise<Record<string, string>> {
    await manager.prepare(pod);
    const sandbox = await t.sandbox({ mounts: manager.sandboxMounts(pod) });
    const ids: Record<string, string> = {};
    for (const c of (pod.spec as { containers: Array<Record<string, unknown>> }).containers) {
      ids[String(c.name)] = await t.container(sandbox.id, (c.command as string[] | undefined) ?? SLEEP, manager.mountsFor(pod, c));
    }
    return ids;
  }

  async function sh(id: string, script: string): Promise<string> {
    const r = await t.exec(id, ['sh', '-c', script]);
    if (r.exitCode !== 0) throw new Error(`${script} -> exit ${String(r.exitCode)}: ${r.output}`);
    return r.output.trim();
  }

  async function eventually(check: () => Promise<boolean>, ms: number): Promise<number> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return Date.now() - started;
  }

  it('shares an emptyDir between the containers of a pod, keeps it across a container restart, and cleanup removes it', async () => {
    const pod = createPod({
      volumes: [{ name: 'shared', emptyDir: {} }],
      containers: [
        { name: 'writer', image: 'busybox:1.36', volumeMounts: [{ name: 'shared', mountPath: '/out' }, { name: 'shared', mountPath: '/logs', subPath: 'logs' }] },
        { name: 'reader', image: 'busybox:1.36', volumeMounts: [{ name: 'shared', mountPath: '/in', readOnly: true }] },
      ],
    });
    const ids = await run(pod);
    await sh(ids.writer, 'echo hello > /out/msg && echo line > /logs/app.log');
    // like Kubernetes' emptyDir, the root is 0777: containers running as another user can write
    await sh(ids.writer, "su nobody -s /bin/sh -c 'echo x > /out/by-nobody'");
    expect(await sh(ids.reader, 'cat /in/msg /in/logs/app.log')).toBe('hello\nline');
    expect((await t.exec(ids.reader, ['sh', '-c', 'touch /in/x'])).exitCode).not.toBe(0);

    await t.remove(ids.writer);
    const again = await t.container(ids.reader, SLEEP, manager.mountsFor(pod, { name: 'writer', volumeMounts: [{ name: 'shared', mountPath: '/out' }] }));
    expect(await sh(again, 'cat /out/msg')).toBe('hello');

    const volumeName = manager.sandboxMounts(pod)[0].Source ?? '';
    expect(volumeName).toContain(pod.metadata.uid);
    for (const id of Object.values(ids).concat(again)) await t.remove(id).catch(() => undefined);
    await removeSandboxes();
    await manager.cleanup(pod.metadata.uid ?? '');
    expect(await inspectVolume(docker, volumeName)).toBeUndefined();
  });

  async function removeSandboxes(): Promise<void> {
    const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${t.clusterId}`] });
    for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
  }

  it('a Memory emptyDir is a tmpfs of its sizeLimit, held by the sandbox across container restarts', async () => {
    const pod = createPod({
      volumes: [{ name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }],
      containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts: [{ name: 'ram', mountPath: '/ram' }] }],
    });
    const ids = await run(pod);
    expect(await sh(ids.app, 'mount | grep " /ram "')).toMatch(/^tmpfs on \/ram type tmpfs .*size=16384k/);
    await sh(ids.app, 'echo kept > /ram/f');
    const sandboxId = (await docker.getContainer(ids.app).inspect()).HostConfig.NetworkMode?.replace('container:', '') ?? '';
    await t.remove(ids.app);
    const next = await t.container(sandboxId, SLEEP, manager.mountsFor(pod, (pod.spec as { containers: Array<Record<string, unknown>> }).containers[0]));
    expect(await sh(next, 'cat /ram/f')).toBe('kept');
  });

  it('configMap files: keys and items with their modes, updated live, except through subPath', async () => {
    service.create(type('configmaps'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { 'app.conf': 'v1', mode: 'dev' } });
    const pod = createPod({
      volumes: [
        { name: 'cfg', configMap: { name: 'app-config', defaultMode: 0o640 } },
        { name: 'picked', configMap: { name: 'app-config', items: [{ key: 'mode', path: 'conf/mode.txt', mode: 0o600 }] } },
      ],
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          volumeMounts: [
            { name: 'cfg', mountPath: '/etc/app' },
            { name: 'picked', mountPath: '/etc/picked' },
            { name: 'cfg', mountPath: '/etc/fixed.conf', subPath: 'app.conf' },
          ],
        },
      ],
    });
    const ids = await run(pod);
    expect(await sh(ids.app, 'cat /etc/app/app.conf; echo; cat /etc/app/mode')).toBe('v1\ndev');
    expect(await sh(ids.app, 'stat -L -c %a /etc/app/app.conf /etc/picked/conf/mode.txt')).toBe('640\n600');
    expect(await sh(ids.app, 'ls /etc/picked')).toBe('conf');
    expect((await t.exec(ids.app, ['sh', '-c', 'echo x > /etc/app/new'])).exitCode).not.toBe(0);

    const cm = service.get(type('configmaps'), 'default', 'app-config');
    service.update(type('configmaps'), 'default', 'app-config', { ...cm, data: { 'app.conf': 'v2', mode: 'prod' } });
    const took = await eventually(async () => (await sh(ids.app, 'cat /etc/app/app.conf')) === 'v2', 5000);
    expect(took).toBeLessThan(5000);
    await eventually(async () => (await sh(ids.app, 'cat /etc/picked/conf/mode.txt')) === 'prod', 5000);
    expect(await sh(ids.app, 'cat /etc/fixed.conf')).toBe('v1');

    // a ConfigMap that disappears leaves the last content in place, as the kubelet does
    service.delete(type('configmaps'), 'default', 'app-config');
    await manager.idle();
    expect(await sh(ids.app, 'cat /etc/app/app.conf')).toBe('v2');
    service.create(type('configmaps'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { 'app.conf': 'v3', mode: 'prod' } });
    await eventually(async () => (await sh(ids.app, 'cat /etc/app/app.conf')) === 'v3', 5000);
  });

  it('secret files: base64 data decoded, mode 0644 by default, item modes honoured', async () => {
    service.create(type('secrets'), 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cr3t').toString('base64') }, stringData: { user: 'admin' } });
    const pod = createPod({
      volumes: [
        { name: 'all', secret: { secretName: 'creds' } },
        { name: 'one', secret: { secretName: 'creds', items: [{ key: 'password', path: 'pw', mode: 0o400 }] } },
      ],
      containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts: [{ name: 'all', mountPath: '/s' }, { name: 'one', mountPath: '/one' }] }],
    });
    const ids = await run(pod);
    expect(await sh(ids.app, 'cat /s/password; echo; cat /s/user')).toBe('s3cr3t\nadmin');
    expect(await sh(ids.app, 'stat -L -c %a /s/password /one/pw')).toBe('644\n400');
  });

  it('hostPath: binds the host directory, creates DirectoryOrCreate, refuses a missing Directory', async () => {
    const host = join(root, 'host');
    const pod = createPod({
      volumes: [
        { name: 'data', hostPath: { path: host, type: 'DirectoryOrCreate' } },
        { name: 'file', hostPath: { path: join(root, 'host-file'), type: 'FileOrCreate' } },
      ],
      containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'file', mountPath: '/f.txt' }] }],
    });
    const ids = await run(pod);
    await sh(ids.app, 'echo from-pod > /data/out && echo filed > /f.txt');
    expect(readFileSync(join(host, 'out'), 'utf8')).toBe('from-pod\n');
    expect(readFileSync(join(root, 'host-file'), 'utf8')).toBe('filed\n');
    writeFileSync(join(host, 'in'), 'from-host');
    expect(await sh(ids.app, 'cat /data/in')).toBe('from-host');

    const missing = createPod({ volumes: [{ name: 'x', hostPath: { path: '/nonexistent-skiff-dir', type: 'Directory' } }], containers: [{ name: 'app', image: 'busybox:1.36' }] });
    const err = await manager.prepare(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VolumeError);
    expect(err).toMatchObject({ reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "x" : hostPath type check failed: /nonexistent-skiff-dir is not a directory' });
  });

  it('a PVC bound to a Docker-volume PV keeps its data across pods; cleanup never removes it', async () => {
    const handle = `skiff-${t.clusterId}-pv-data`;
    await docker.createVolume({ Name: handle, Labels: { [LABEL_CLUSTER]: t.clusterId } });
    const pvc = service.create(type('persistentvolumeclaims'), 'default', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pv-data' },
    });
    service.create(type('persistentvolumes'), '', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-data' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '1Gi' },
        claimRef: { namespace: 'default', name: 'data', uid: pvc.metadata.uid },
        csi: { driver: DOCKER_VOLUME_CSI_DRIVER, volumeHandle: handle },
      },
    });
    const spec = {
      volumes: [{ name: 'store', persistentVolumeClaim: { claimName: 'data' } }],
      containers: [{ name: 'db', image: 'busybox:1.36', volumeMounts: [{ name: 'store', mountPath: '/var/db' }] }],
    };
    const unbound = await manager.prepare(createPod(spec)).catch((e: unknown) => e);
    expect(unbound).toMatchObject({ reason: 'FailedMount', message: expect.stringMatching(/unbound immediate PersistentVolumeClaims$/) });

    service.update(type('persistentvolumeclaims'), 'default', 'data', { ...service.get(type('persistentvolumeclaims'), 'default', 'data'), status: { phase: 'Bound' } }, { subresource: 'status' });
    const first = createPod(spec);
    const a = await run(first);
    await sh(a.db, 'echo persisted > /var/db/row');
    await removeSandboxes();
    await manager.cleanup(first.metadata.uid ?? '');
    expect(await inspectVolume(docker, handle)).toBeDefined();

    const b = await run(createPod(spec));
    expect(await sh(b.db, 'cat /var/db/row')).toBe('persisted');

    const ro = await run(createPod({ ...spec, volumes: [{ name: 'store', persistentVolumeClaim: { claimName: 'data', readOnly: true } }] }));
    expect((await t.exec(ro.db, ['sh', '-c', 'echo x > /var/db/other'])).exitCode).not.toBe(0);
  });

  it('names what is missing: configMap, secret, key, claim', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'v', configMap: { name: 'nope' } }, 'MountVolume.SetUp failed for volume "v" : configmap "nope" not found'],
      [{ name: 'v', secret: { secretName: 'nope' } }, 'MountVolume.SetUp failed for volume "v" : secret "nope" not found'],
      [{ name: 'v', configMap: { name: 'app-config', items: [{ key: 'absent', path: 'a' }] } }, 'MountVolume.SetUp failed for volume "v" : configmap references non-existent config key: absent'],
      [{ name: 'v', persistentVolumeClaim: { claimName: 'nope' } }, 'persistentvolumeclaim "nope" not found'],
    ];
    for (const [volume, message] of cases) {
      const err = await manager.prepare(createPod({ volumes: [volume], containers: [{ name: 'app', image: 'busybox:1.36' }] })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VolumeError);
      expect(err).toMatchObject({ reason: 'FailedMount', message });
    }
    // optional sources may be absent
    await manager.prepare(createPod({ volumes: [{ name: 'v', configMap: { name: 'nope', optional: true } }], containers: [{ name: 'app', image: 'busybox:1.36' }] }));
  });

  it('downwardAPI and projected volumes, relabelled live', async () => {
    const pod = createPod(
      {
        volumes: [
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          {
            name: 'all-in-one',
            projected: {
              sources: [
                { configMap: { name: 'app-config', items: [{ key: 'mode', path: 'mode' }] } },
                { secret: { name: 'creds', items: [{ key: 'user', path: 'user' }] } },
                { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
              ],
            },
          },
        ],
        containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts: [{ name: 'info', mountPath: '/info' }, { name: 'all-in-one', mountPath: '/p' }] }],
      },
      { tier: 'web' },
    );
    const ids = await run(pod);
    expect(await sh(ids.app, 'cat /info/labels; echo; cat /info/name')).toBe(`tier="web"\n${pod.metadata.name ?? ''}`);
    expect(await sh(ids.app, 'cat /p/mode; echo; cat /p/user; echo; cat /p/ns')).toBe('prod\nadmin\ndefault');

    const current = service.get(type('pods'), 'default', pod.metadata.name ?? '');
    service.update(type('pods'), 'default', pod.metadata.name ?? '', { ...current, metadata: { ...current.metadata, labels: { tier: 'api', v: '2' } } });
    await eventually(async () => (await sh(ids.app, 'cat /info/labels')) === 'tier="api"\nv="2"', 5000);
  });

  it('pruneOrphans removes what belongs to pods that no longer exist', async () => {
    const pod = createPod({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'cfg', configMap: { name: 'app-config' } }], containers: [{ name: 'app', image: 'busybox:1.36' }] });
    await manager.prepare(pod);
    const uid = pod.metadata.uid ?? '';
    const volume = manager.sandboxMounts(pod)[0].Source ?? '';
    const dir = join(root, 'state', 'pods', uid, 'volumes');
    expect(existsSync(dir)).toBe(true);
    await manager.pruneOrphans(new Set([uid]));
    expect(await inspectVolume(docker, volume)).toBeDefined();
    await manager.pruneOrphans(new Set());
    expect(await inspectVolume(docker, volume)).toBeUndefined();
    expect(existsSync(dir)).toBe(false);
    expect(() => manager.mountsFor(pod, { name: 'app', volumeMounts: [{ name: 'tmp', mountPath: '/t' }] })).toThrow(VolumeError);
  });
});
