/** The Docker side of pods, on real Docker: network, observe, create-once, graceful stop, remove. */
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestImage } from '../test/test-images';
import { LABEL_CLUSTER, LABEL_CONTAINER_NAME, LABEL_POD_UID, LABEL_RESTART_COUNT, LABEL_ROLE } from './labels';
import { dockerMessage, PodRuntime } from './pod-runtime';

describe('PodRuntime (Docker)', () => {
  const docker = new Docker();
  const clusterId = `rt${randomBytes(4).toString('hex')}`;
  const other = `rt${randomBytes(4).toString('hex')}`;
  const rt = new PodRuntime(docker, clusterId);
  let image = '';

  beforeAll(async () => {
    image = await ensureTestImage(docker);
  });
  afterAll(async () => {
    for (const id of [clusterId, other]) {
      const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${id}`] });
      for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
      for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
    }
  });

  const labels = (cluster: string, uid: string, name: string, restart = 0): Record<string, string> => ({
    [LABEL_CLUSTER]: cluster,
    [LABEL_POD_UID]: uid,
    [LABEL_CONTAINER_NAME]: name,
    [LABEL_ROLE]: 'app',
    [LABEL_RESTART_COUNT]: String(restart),
  });

  it('creates the labelled network once', async () => {
    await rt.ensureNetwork();
    rt.invalidate();
    await rt.ensureNetwork();
    const nets = await docker.listNetworks({ filters: JSON.stringify({ name: [rt.network] }) });
    expect(nets.filter((n) => n.Name === rt.network)).toHaveLength(1);
    expect(nets[0].Labels?.[LABEL_CLUSTER]).toBe(clusterId);
  });

  it('never creates a container twice: the same name gives back the existing one', async () => {
    const options = { name: `k8s_c_p_ns_${clusterId}_0`, Image: image, Cmd: ['sleep', '3600'], Labels: labels(clusterId, 'uid-a', 'c') };
    const first = await rt.create(options);
    const second = await rt.create(options);
    expect(second).toEqual({ id: first.id, existed: true });
    expect(first.existed).toBe(false);
  });

  it("observes only its own cluster's containers of a pod", async () => {
    await rt.create({ name: `k8s_c_p_ns_${other}_0`, Image: image, Cmd: ['true'], Labels: labels(other, 'uid-a', 'c') });
    const seen = await rt.observe('uid-a');
    expect(seen.map((c) => c.name)).toEqual(['c']);
    expect(seen[0].state).toBe('created');
    expect((await rt.listOwned()).every((c) => c.podUid === 'uid-a')).toBe(true);
  });

  it('stops with the stop signal, SIGKILLs at the deadline, and removes', async () => {
    const polite = await rt.create({ name: `k8s_polite_p_ns_${clusterId}_0`, Image: image, Cmd: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.1; done"], Labels: labels(clusterId, 'uid-b', 'polite') });
    const stubborn = await rt.create({ name: `k8s_stubborn_p_ns_${clusterId}_0`, Image: image, Cmd: ['sleep', '3600'], Labels: labels(clusterId, 'uid-b', 'stubborn') });
    await rt.start(polite.id);
    await rt.start(stubborn.id);
    await rt.start(stubborn.id);
    const started = Date.now();
    await rt.stop(
      [
        { id: polite.id, stopSignal: '' },
        { id: stubborn.id, stopSignal: '' },
      ],
      () => started + 1000,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const seen = await rt.observe('uid-b');
    const byName = new Map(seen.map((c) => [c.name, c]));
    expect(byName.get('polite')).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(byName.get('stubborn')).toMatchObject({ state: 'exited', exitCode: 137 });
    await rt.remove(polite.id);
    await rt.remove(polite.id);
    expect((await rt.observe('uid-b')).map((c) => c.name)).toEqual(['stubborn']);
  });

  it("takes an `oom` event over an exit already seen (and cached) without Docker's OOMKilled flag", async () => {
    const c = await rt.create({ name: `k8s_oom_p_ns_${clusterId}_0`, Image: image, Cmd: ['sh', '-c', 'exit 137'], Labels: labels(clusterId, 'uid-c', 'oom') });
    await docker.getContainer(c.id).start();
    await docker.getContainer(c.id).wait();
    expect(await rt.observe('uid-c')).toMatchObject([{ state: 'exited', exitCode: 137, oomKilled: false }]);
    rt.noteOom(c.id);
    expect(await rt.observe('uid-c')).toMatchObject([{ state: 'exited', exitCode: 137, oomKilled: true }]);
    rt.forget(c.id);
    expect(await rt.observe('uid-c')).toMatchObject([{ oomKilled: false }]);
  });

  it("words Docker's errors without the client's prefix", async () => {
    const err = await docker
      .getContainer('no-such-container-xyz')
      .inspect()
      .then(() => undefined, (e: unknown) => e);
    expect(dockerMessage(err)).toMatch(/^No such container: no-such-container-xyz/);
  });
});
