/**
 * Test support for the volume and probe tests (not used by the engine): pods made by hand on the real Docker
 * engine (a sandbox holding the network namespace plus containers joined to it, as the kubelet makes them),
 * all labelled with one per-test cluster id and removed together by `cleanup()`.
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { ensureTestImage } from '../test/test-images';
import { LABEL_CLUSTER } from './labels';
import { execInContainer, type ExecResult } from './probe-exec';
import { ensureSandboxImage } from './sandbox-image';
import type { DockerMount } from './volume-mounts';

export class TestSandbox {
  readonly clusterId = `t${randomBytes(4).toString('hex')}`;
  private testImage = '';
  private sandboxImage = '';

  constructor(readonly docker: Docker) {}

  async init(): Promise<void> {
    this.testImage = await ensureTestImage(this.docker);
    this.sandboxImage = await ensureSandboxImage(this.docker);
  }

  private get labels(): Record<string, string> {
    return { [LABEL_CLUSTER]: this.clusterId };
  }

  /** A bridge network for this test. */
  async network(): Promise<string> {
    const name = `skiff-${this.clusterId}`;
    await this.docker.createNetwork({ Name: name, Driver: 'bridge', Labels: this.labels });
    return name;
  }

  /** A running sandbox; its IP on `network` ('' without one). */
  async sandbox(opts: { network?: string; mounts?: DockerMount[] } = {}): Promise<{ id: string; ip: string }> {
    const c = await this.docker.createContainer({
      Image: this.sandboxImage,
      Labels: this.labels,
      HostConfig: { NetworkMode: opts.network ?? 'none', Mounts: (opts.mounts ?? []) as unknown as Docker.MountSettings[] },
    });
    await c.start();
    const info = await c.inspect();
    const ip = opts.network ? (info.NetworkSettings.Networks[opts.network]?.IPAddress ?? '') : '';
    return { id: c.id, ip };
  }

  /** A running busybox container in the sandbox's namespaces. */
  async container(sandboxId: string, cmd: string[], mounts: DockerMount[] = []): Promise<string> {
    const c = await this.docker.createContainer({
      Image: this.testImage,
      Cmd: cmd,
      Labels: this.labels,
      HostConfig: { NetworkMode: `container:${sandboxId}`, Mounts: mounts as unknown as Docker.MountSettings[] },
    });
    await c.start();
    return c.id;
  }

  exec(containerId: string, cmd: string[], timeoutMs = 10_000): Promise<ExecResult> {
    return execInContainer(this.docker, containerId, cmd, timeoutMs);
  }

  async remove(containerId: string): Promise<void> {
    await this.docker.getContainer(containerId).remove({ force: true });
  }

  /** Remove every container, volume and network carrying this test's cluster id. */
  async cleanup(): Promise<void> {
    const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${this.clusterId}`] });
    for (const c of await this.docker.listContainers({ all: true, filters })) await this.docker.getContainer(c.Id).remove({ force: true });
    const volumes = (await this.docker.listVolumes({ filters })).Volumes ?? [];
    for (const v of volumes) await this.docker.getVolume(v.Name).remove().catch(() => undefined);
    for (const n of await this.docker.listNetworks({ filters })) await this.docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
}
