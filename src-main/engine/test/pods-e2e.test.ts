/**
 * Pods end to end on real Docker through real kubectl and client-node: the examples (sidecar, ambassador,
 * config), logs and exec, and bad input (a missing image, a command that cannot run, a volume naming a
 * missing ConfigMap) that must show the right reasons and events without disturbing anything else.
 */
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually, spawnKubectl } from './harness';
import { conditionStatus, containerStatuses, docker, kubectlPath, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

const examples = join(__dirname, '../../../examples');

interface List {
  items: KubeObject[];
}

describe('Pods on Docker via kubectl and client-node', () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine({ runtime: { crashBackoffBaseMs: 1000 } });
  });
  afterAll(async () => {
    await e?.stop();
  });

  const podOf = async (app: string): Promise<KubeObject> => {
    const items = (await e.json<List>(['get', 'pods', '-l', `app=${app}`])).items.filter((p) => !p.metadata.deletionTimestamp);
    if (items.length !== 1) throw new Error(`expected one pod of ${app}, got ${items.length}`);
    return items[0] as KubeObject;
  };
  const events = async (name: string): Promise<Array<{ reason: string; message: string; type: string }>> =>
    (await e.json<{ items: Array<{ reason: string; message: string; type: string }> }>(['get', 'events', '--field-selector', `involvedObject.name=${name}`])).items;

  it('runs the sidecar example: containers of one pod share localhost and an emptyDir', async () => {
    await e.ok(['apply', '-f', join(examples, 'sidecar.yaml')]);
    await e.ok(['rollout', 'status', 'deploy/sidecar-demo', '--timeout=60s']);
    const p = await podOf('sidecar-demo');
    expect(containerStatuses(p).map((s) => s.name).sort()).toEqual(['content', 'probe', 'web']);
    // "content" writes into the shared emptyDir, "web" serves it, "probe" fetches it over localhost.
    const logs = await eventually(async () => {
      const out = await e.ok(['logs', p.metadata.name ?? '', '-c', 'probe']);
      return /generated at \d+ by the sidecar/.test(out) ? out : undefined;
    }, 20_000, 500);
    expect(logs).toMatch(/generated at \d+ by the sidecar/);
    const viaWeb = await e.ok(['exec', p.metadata.name ?? '', '-c', 'web', '--', 'cat', '/html/index.html']);
    expect(viaWeb).toMatch(/by the sidecar/);
  });

  it('runs the ambassador example as shipped: the app reaches the backend Service by name only through localhost:9000', async () => {
    // applied unchanged: the ambassador dials BACKEND_HOST=backend, the Service name, through the cluster DNS
    await e.ok(['apply', '-f', join(examples, 'ambassador.yaml')]);
    expect((await e.json<{ data: Record<string, string> }>(['get', 'configmap', 'ambassador-config'])).data.BACKEND_HOST).toBe('backend');
    await e.ok(['rollout', 'status', 'deploy/backend', '--timeout=60s']);
    await e.ok(['rollout', 'status', 'deploy/ambassador-demo', '--timeout=60s']);
    const backendIp = ((await podOf('backend')).status as { podIP: string }).podIP;
    const ep = await eventually(async () => {
      const x = await e.json<{ subsets?: Array<{ addresses?: Array<{ ip: string }> }> }>(['get', 'endpoints', 'backend']);
      return x.subsets?.[0]?.addresses?.length ? x : undefined;
    }, 30_000, 250);
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual([backendIp]);
    const p = await podOf('ambassador-demo');
    const out = await eventually(async () => {
      const o = await e.ok(['logs', p.metadata.name ?? '', '-c', 'app']);
      return o.includes('answer from the backend') ? o : undefined;
    }, 30_000, 500);
    expect(out).toContain('answer from the backend');
    // the app's only address for the backend is localhost:9000, the ambassador's port
    const viaAmbassador = await e.ok(['exec', p.metadata.name ?? '', '-c', 'app', '--', 'wget', '-q', '-O-', 'http://127.0.0.1:9000/index.html']);
    expect(viaAmbassador.trim()).toBe('answer from the backend');
    // and the answer is the backend's: with no backend pod, localhost:9000 gives none
    await e.ok(['scale', 'deploy/backend', '--replicas=0']);
    await eventually(async () => (await e.json<List>(['get', 'pods', '-l', 'app=backend'])).items.length === 0, 60_000, 250);
    const noAnswer = await e.k(['exec', p.metadata.name ?? '', '-c', 'app', '--', 'wget', '-q', '-T', '3', '-O-', 'http://127.0.0.1:9000/index.html']);
    expect(noAnswer.stdout).not.toContain('answer from the backend');
  });

  it('runs the config example: ConfigMap and Secret reach env and files, and file updates follow the ConfigMap', async () => {
    await e.ok(['apply', '-f', join(examples, 'config.yaml')]);
    await e.ok(['rollout', 'status', 'deploy/config-demo', '--timeout=60s']);
    const p = await podOf('config-demo');
    const name = p.metadata.name ?? '';
    const env = await e.ok(['exec', name, '--', 'sh', '-c', 'echo "$GREETING|$PASSWORD|$POD_NAME"']);
    expect(env.trim()).toBe(`hello|s3cr3t|${name}`);
    expect(await e.ok(['exec', name, '--', 'cat', '/etc/app/app.properties'])).toBe('mode=dev\ncolor=blue\n');
    expect(await e.ok(['exec', name, '--', 'cat', '/etc/secret/password'])).toBe('s3cr3t');
    const mode = await e.ok(['exec', name, '--', 'sh', '-c', 'stat -L -c %a /etc/secret/password']);
    expect(mode.trim()).toBe('400');
    const firstLine = (await e.ok(['logs', name])).split('\n')[0];
    expect(firstLine).toBe(`hello from ${name}`);

    await e.ok(['patch', 'configmap', 'app-config', '--type=merge', '-p', JSON.stringify({ data: { 'app.properties': 'mode=prod\n' } })]);
    const updated = await eventually(async () => {
      const o = await e.ok(['exec', name, '--', 'cat', '/etc/app/app.properties']);
      return o === 'mode=prod\n' ? o : undefined;
    }, 30_000, 500);
    expect(updated).toBe('mode=prod\n');
    // env is read at container start: unchanged, and the container was not restarted
    expect(containerStatuses(await podOf('config-demo'))[0]?.restartCount).toBe(0);
  });

  describe('logs and exec', () => {
    let pod = '';
    beforeAll(async () => {
      await e.ok(
        ['apply', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'talker' },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo "boot $RANDOM$RANDOM"; i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.3; done'] }],
          },
        }),
      );
      pod = 'talker';
      await eventually(async () => containerStatuses(await e.json<KubeObject>(['get', 'pod', pod]))[0]?.state.running, 30_000, 200);
      await new Promise((r) => setTimeout(r, 1200));
    });

    it('kubectl logs --tail, --timestamps and -f (a line printed after the stream opened)', async () => {
      const tail = (await e.ok(['logs', pod, '--tail=2'])).trim().split('\n');
      expect(tail).toHaveLength(2);
      expect(tail.every((l) => /^line \d+$/.test(l))).toBe(true);
      const stamped = (await e.ok(['logs', pod, '--tail=1', '--timestamps'])).trim();
      expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line \d+$/);
      const last = Number(/line (\d+)/.exec(tail[1] ?? '')?.[1]);

      const { child, state } = spawnKubectl(kubectlPath(), e, ['logs', '-f', pod, '--tail=1']);
      try {
        await eventually(() => {
          const nums = [...state.stdout.matchAll(/line (\d+)/g)].map((m) => Number(m[1]));
          return nums.some((n) => n > last + 2);
        }, 15_000, 100);
      } finally {
        child.kill();
      }
      expect(state.stderr).toBe('');
    });

    it('kubectl logs --previous shows the container before its restart', async () => {
      const first = (await e.ok(['logs', pod])).split('\n')[0] ?? '';
      expect(first).toMatch(/^boot \d+$/);
      const bad = await e.k(['logs', pod, '--previous']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/previous terminated container "app" in pod "talker" not found/);
      // a crash: the app container is killed from outside (PID 1 of a container ignores signals it has no handler for)
      const uid = (await e.json<KubeObject>(['get', 'pod', pod])).metadata.uid;
      const [app] = (await e.containers({ podUid: uid })).filter((c) => c.Labels['dev.skiff.role'] === 'app');
      await docker.getContainer(app?.Id ?? '').kill();
      await eventually(async () => {
        const s = containerStatuses(await e.json<KubeObject>(['get', 'pod', pod]))[0];
        return s?.restartCount === 1 && s.state.running;
      }, 30_000, 200);
      const previous = (await e.ok(['logs', pod, '--previous'])).split('\n')[0];
      expect(previous).toBe(first);
      const current = await eventually(async () => (await e.ok(['logs', pod])).split('\n')[0], 10_000, 200);
      expect(current).toMatch(/^boot \d+$/);
      expect(current).not.toBe(first);
    });

    it('kubectl exec passes stdin through and returns the exit code', async () => {
      const r = await e.k(['exec', '-i', pod, '--', 'sh', '-c', 'cat; exit 7'], 'from stdin\n');
      expect(r.stdout).toBe('from stdin\n');
      expect(r.code).toBe(7);
      const missing = await e.k(['exec', pod, '--', '/no/such/program']);
      expect(missing.code).not.toBe(0);
      const noContainer = await e.k(['exec', pod, '-c', 'nope', '--', 'true']);
      expect(noContainer.code).not.toBe(0);
      expect(noContainer.stderr).toMatch(/container nope is not valid for pod talker/);
    });

    it('client-node Exec and Log work', async () => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(e.kubeconfig);
      let out = '';
      const stdout = new Writable({ write(chunk: Buffer, _enc, cb) { out += chunk.toString(); cb(); } });
      const stdin = new PassThrough();
      const status = await new Promise<k8s.V1Status>((resolve, reject) => {
        new k8s.Exec(kc).exec('default', pod, 'app', ['sh', '-c', 'read x; echo "got $x"; exit 0'], stdout, process.stderr, stdin, false, (s) => resolve(s)).catch(reject);
        stdin.end('hello\n');
      });
      expect(status.status).toBe('Success');
      expect(out).toBe('got hello\n');

      let logs = '';
      const sink = new PassThrough();
      sink.on('data', (d: Buffer) => (logs += d.toString()));
      await new Promise<void>((resolve, reject) => {
        sink.on('end', resolve);
        new k8s.Log(kc).log('default', pod, 'app', sink, { follow: false, tailLines: 3 }).catch(reject);
      });
      expect(logs.trim().split('\n')).toHaveLength(3);
      expect(logs).toMatch(/line \d+/);
    });
  });

  it('reports bad input with the right reasons and events, and disturbs nothing else', async () => {
    await e.ok(['run', 'bystander', '--image=busybox:1.36', '--restart=Never', '--', 'sleep', '3600']);
    await eventually(async () => containerStatuses(await e.json<KubeObject>(['get', 'pod', 'bystander']))[0]?.state.running, 30_000, 200);
    const pods = [
      { name: 'no-image', containers: [{ name: 'app', image: 'skiff-test/absent:1', imagePullPolicy: 'Never' }] },
      { name: 'no-registry', containers: [{ name: 'app', image: '127.0.0.1:5999/skiff/nothing:1' }] },
      { name: 'bad-command', containers: [{ name: 'app', image: 'busybox:1.36', command: ['/no/such/program'] }] },
      { name: 'no-config', volumes: [{ name: 'cfg', configMap: { name: 'missing-config' } }], containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }] },
    ];
    await e.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods.map(({ name, ...spec }) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec })) }));
    const statusColumn = async (name: string): Promise<string> => (await e.ok(['get', 'pod', name, '--no-headers'])).trim().split(/\s+/)[2] ?? '';

    expect(await eventually(async () => ((await statusColumn('no-image')) === 'ErrImageNeverPull' ? 'ok' : undefined), 30_000, 250)).toBe('ok');
    expect(await eventually(async () => (['ErrImagePull', 'ImagePullBackOff'].includes(await statusColumn('no-registry')) ? 'ok' : undefined), 30_000, 250)).toBe('ok');
    expect(await eventually(async () => (['CrashLoopBackOff', 'StartError', 'RunContainerError'].includes(await statusColumn('bad-command')) ? 'ok' : undefined), 30_000, 250)).toBe('ok');
    expect(await eventually(async () => ((await statusColumn('no-config')) === 'ContainerCreating' ? 'ok' : undefined), 30_000, 250)).toBe('ok');

    expect((await events('no-image')).some((ev) => ev.reason === 'ErrImageNeverPull' && ev.type === 'Warning')).toBe(true);
    await eventually(async () => (await events('no-registry')).some((ev) => ev.reason === 'Failed' && ev.message.includes('127.0.0.1:5999')), 30_000, 250);
    const badCommand = await e.json<KubeObject>(['get', 'pod', 'bad-command']);
    expect(containerStatuses(badCommand)[0]?.lastState.terminated?.reason ?? containerStatuses(badCommand)[0]?.state.terminated?.reason).toBe('StartError');
    const mount = await eventually(async () => (await events('no-config')).find((ev) => ev.reason === 'FailedMount'), 30_000, 250);
    expect(mount.message).toMatch(/configmap "missing-config" not found/);
    const noConfig = await e.json<KubeObject>(['get', 'pod', 'no-config']);
    expect((noConfig.status as { phase: string }).phase).toBe('Pending');
    expect(conditionStatus(noConfig, 'PodScheduled')).toBe('True');

    // the missing ConfigMap arrives: the pod starts
    await e.ok(['create', 'configmap', 'missing-config', '--from-literal=key=value']);
    await eventually(async () => (await statusColumn('no-config')) === 'Running', 60_000, 250);
    expect(await e.ok(['exec', 'no-config', '--', 'cat', '/cfg/key'])).toBe('value');

    const bystander = await e.json<KubeObject>(['get', 'pod', 'bystander']);
    expect(containerStatuses(bystander)[0]).toMatchObject({ restartCount: 0, ready: true });
  });
});
