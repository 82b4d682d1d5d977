/** The kubelet on real Docker: binding, node, running pods, status, networking, init containers, exit codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asObject, getString } from '../registry/json-access';
import { condition, containerStatus, KubeletHarness, type } from './kubelet-test-harness';

describe('Kubelet (Docker)', () => {
  const h = new KubeletHarness();

  beforeAll(async () => {
    await h.init();
    await h.startKubelet();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('registers a Ready node with capacity and info from Docker', () => {
    const node = h.service.get(type('nodes'), '', 'skiff-test');
    expect(node.metadata.labels?.['kubernetes.io/hostname']).toBe('skiff-test');
    expect(node.metadata.labels?.['node-role.kubernetes.io/control-plane']).toBe('');
    expect(getString(node, 'status', 'capacity', 'pods')).toBe('110');
    expect(getString(node, 'status', 'capacity', 'memory')).toMatch(/^\d+Ki$/);
    expect(getString(node, 'status', 'nodeInfo', 'containerRuntimeVersion')).toMatch(/^docker:\/\/\d/);
    expect(getString(node, 'status', 'nodeInfo', 'kubeletVersion')).toBe('v1.31.0');
    const ready = (node.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('True');
  });

  it('binds a pod, runs it, and reports Running, Ready and a pod IP', async () => {
    const created = h.createPod('web', { containers: [{ name: 'web', image: h.image, command: ['httpd', '-f', '-p', '8080'] }] });
    const pod = await h.waitPod('web', (p) => condition(p, 'Ready')?.status === 'True' && p, 20_000, 'Ready');
    expect(getString(pod, 'spec', 'nodeName')).toBe('skiff-test');
    expect(getString(pod, 'status', 'phase')).toBe('Running');
    expect(getString(pod, 'status', 'podIP')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(getString(pod, 'status', 'startTime')).not.toBe('');
    expect(condition(pod, 'PodScheduled')?.status).toBe('True');
    expect(condition(pod, 'Initialized')?.status).toBe('True');
    const cs = containerStatus(pod, 'web');
    expect(cs?.ready).toBe(true);
    expect(cs?.started).toBe(true);
    expect(cs?.restartCount).toBe(0);
    expect(getString(cs, 'containerID')).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(getString(cs, 'state', 'running', 'startedAt')).not.toBe('');
    const containers = await h.containers(created.metadata.uid);
    expect(containers.map((c) => c.Labels['dev.skiff.role']).sort()).toEqual(['app', 'sandbox']);
    const reasons = h.events('web').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']));
    const ref = await h.kubelet?.resolver.resolve('default', 'web', undefined);
    expect(ref).toMatchObject({ name: 'web', running: true, tty: false, restartCount: 0, podIP: getString(pod, 'status', 'podIP') });
    expect(`docker://${ref?.id ?? ''}`).toBe(getString(cs, 'containerID'));
    expect(ref?.sandboxId).toBe(containers.find((c) => c.Labels['dev.skiff.role'] === 'sandbox')?.Id);
    await expect(h.kubelet?.resolver.resolve('default', 'web', 'web', { previous: true })).rejects.toThrow('previous terminated container "web" in pod "web" not found');
    await expect(h.kubelet?.resolver.resolve('default', 'nope', undefined)).rejects.toThrow('pods "nope" not found');
  });

  it('lets two containers of one pod talk over localhost', async () => {
    h.createPod('duo', {
      restartPolicy: 'Never',
      containers: [
        { name: 'server', image: h.image, command: ['httpd', '-f', '-p', '8081', '-h', '/var/www'] },
        { name: 'client', image: h.image, command: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://localhost:8081/ && exit 0; sleep 0.3; done; exit 1'] },
      ],
    });
    const cs = await h.waitPod('duo', (p) => {
      const c = containerStatus(p, 'client');
      return asObject(asObject(c?.state)?.terminated) && c;
    });
    expect(getString(cs, 'state', 'terminated', 'reason')).toBe('Completed');
    expect((cs.state as { terminated: { exitCode: number } }).terminated.exitCode).toBe(0);
  });

  it('runs init containers in order before the app containers', async () => {
    h.createPod('inits', {
      volumes: [{ name: 'work', emptyDir: {} }],
      initContainers: [
        { name: 'one', image: h.image, command: ['sh', '-c', 'echo one >> /work/log'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        { name: 'two', image: h.image, command: ['sh', '-c', 'sleep 0.3; echo two >> /work/log'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
      ],
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: h.image, command: ['sh', '-c', 'test "$(cat /work/log)" = "$(printf "one\\ntwo")"'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
    });
    const pod = await h.waitPod('inits', (p) => getString(p, 'status', 'phase') === 'Succeeded' && p, 20_000, 'Succeeded');
    for (const n of ['one', 'two']) {
      const s = containerStatus(pod, n, 'initContainerStatuses');
      expect(getString(s, 'state', 'terminated', 'reason')).toBe('Completed');
    }
    expect(getString(containerStatus(pod, 'main'), 'state', 'terminated', 'reason')).toBe('Completed');
    expect(condition(pod, 'Initialized')?.status).toBe('True');
  });

  it('reports exit codes: restartPolicy Never fails the pod, OnFailure completes after success', async () => {
    h.createPod('fails', { restartPolicy: 'Never', containers: [{ name: 'c', image: h.image, command: ['sh', '-c', 'exit 3'] }] });
    h.createPod('succeeds', { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: h.image, command: ['true'] }] });
    const failed = await h.waitPod('fails', (p) => getString(p, 'status', 'phase') === 'Failed' && p, 20_000, 'Failed');
    const t = asObject(asObject(containerStatus(failed, 'c')?.state)?.terminated);
    expect(t?.exitCode).toBe(3);
    expect(t?.reason).toBe('Error');
    expect(condition(failed, 'Ready')?.reason).toBe('PodFailed');
    const ok = await h.waitPod('succeeds', (p) => getString(p, 'status', 'phase') === 'Succeeded' && p, 20_000, 'Succeeded');
    expect(condition(ok, 'Ready')?.reason).toBe('PodCompleted');
    // completed pods keep their stopped containers until deleted
    const containers = await h.containers(failed.metadata.uid);
    expect(containers.some((c) => c.Labels['dev.skiff.role'] === 'app' && c.State === 'exited')).toBe(true);
  });

  it('fails a restartPolicy Never pod whose init container fails, and backs off one under Always', async () => {
    h.createPod('init-never', { restartPolicy: 'Never', initContainers: [{ name: 'i', image: h.image, command: ['sh', '-c', 'exit 4'] }], containers: [{ name: 'c', image: h.image, command: ['true'] }] });
    h.createPod('init-always', { initContainers: [{ name: 'i', image: h.image, command: ['sh', '-c', 'exit 4'] }], containers: [{ name: 'c', image: h.image, command: ['true'] }] });
    const failed = await h.waitPod('init-never', (p) => getString(p, 'status', 'phase') === 'Failed' && p, 20_000, 'Failed');
    expect(getString(containerStatus(failed, 'i', 'initContainerStatuses'), 'state', 'terminated', 'reason')).toBe('Error');
    expect(getString(containerStatus(failed, 'c'), 'state', 'waiting', 'reason')).toBe('PodInitializing');
    const backoff = await h.waitPod('init-always', (p) => getString(containerStatus(p, 'i', 'initContainerStatuses'), 'state', 'waiting', 'reason') === 'CrashLoopBackOff' && p, 20_000, 'Init:CrashLoopBackOff');
    expect(getString(backoff, 'status', 'phase')).toBe('Pending');
    expect(condition(backoff, 'Initialized')?.reason).toBe('ContainersNotInitialized');
  });

  it('applies resource limits, the security context and $(VAR) expansion', async () => {
    const pod = h.createPod('limited', {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'c',
          image: h.image,
          command: ['sh', '-c', 'test "$(id -u):$(id -g)" = "1000:3000" && ! touch /x 2>/dev/null && test "$0" = limited', '$(POD)'],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          resources: { limits: { cpu: '500m', memory: '64Mi' } },
          securityContext: { runAsUser: 1000, runAsGroup: 3000, readOnlyRootFilesystem: true },
        },
      ],
    });
    const done = await h.waitPod('limited', (p) => ['Succeeded', 'Failed'].includes(getString(p, 'status', 'phase')) && p, 20_000, 'completion');
    expect(getString(done, 'status', 'phase')).toBe('Succeeded');
    const app = (await h.containers(pod.metadata.uid)).find((c) => c.Labels['dev.skiff.role'] === 'app');
    const info = await h.docker.getContainer(app?.Id ?? '').inspect();
    expect(info.HostConfig.NanoCpus).toBe(500_000_000);
    expect(info.HostConfig.Memory).toBe(64 * 2 ** 20);
    expect(info.Config.User).toBe('1000:3000');
  });

  it('reports OOMKilled for a container over its memory limit', async () => {
    h.createPod('hungry', {
      restartPolicy: 'Never',
      // A child (tail buffering /dev/zero) is OOM-killed and the container lives on a moment: when PID 1 itself
      // is killed the cgroup goes at once, and Docker 20.10 then sometimes never reports the OOM (no `oom`
      // event, State.OOMKilled false), which no kubelet could see either.
      containers: [{ name: 'c', image: h.image, command: ['sh', '-c', 'tail /dev/zero; sleep 1; exit 1'], resources: { limits: { memory: '16Mi' } } }],
    });
    const failed = await h.waitPod('hungry', (p) => getString(p, 'status', 'phase') === 'Failed' && p, 30_000, 'Failed');
    expect(['Error', 'OOMKilled']).toContain(getString(containerStatus(failed, 'c'), 'state', 'terminated', 'reason'));
    // Docker handles a task's OOM and its exit apart: under load the exit may be reported first, and the
    // reason follows with the `oom` event.
    const done = await h.waitPod('hungry', (p) => getString(containerStatus(p, 'c'), 'state', 'terminated', 'reason') === 'OOMKilled' && p, 10_000, 'OOMKilled');
    expect(getString(done, 'status', 'phase')).toBe('Failed');
  });
});
