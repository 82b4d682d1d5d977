/**
 * VolumeBackend on the local Docker engine (dockerode). Every volume it creates carries the engine's
 * cluster label, and it refuses to remove a volume that does not carry it: an engine never touches
 * another engine's data.
 */
import Docker from 'dockerode';
import { isPlainObject } from '../object';
import { LABEL_CLUSTER } from '../kubelet/labels';
import type { VolumeBackend } from './volume-backend';

function statusCode(err: unknown): number | undefined {
  return isPlainObject(err) && typeof err.statusCode === 'number' ? err.statusCode : undefined;
}

export class DockerVolumeBackend implements VolumeBackend {
  constructor(
    private readonly clusterId: string,
    private readonly docker: Docker = new Docker(),
  ) {}

  async create(name: string, labels: Record<string, string>): Promise<void> {
    if (await this.exists(name)) return;
    try {
      await this.docker.createVolume({ Name: name, Driver: 'local', Labels: { ...labels, [LABEL_CLUSTER]: this.clusterId } });
    } catch (err) {
      if (statusCode(err) !== 409) throw err;
    }
  }

  async remove(name: string): Promise<void> {
    const labels = await this.labelsOf(name);
    if (labels === undefined) return;
    if (labels[LABEL_CLUSTER] !== this.clusterId) {
      throw new Error(`docker volume "${name}" does not belong to cluster ${this.clusterId}`);
    }
    try {
      await this.docker.getVolume(name).remove();
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }

  async exists(name: string): Promise<boolean> {
    return (await this.labelsOf(name)) !== undefined;
  }

  /** The volume's labels, or undefined when Docker has no volume of that name. */
  private async labelsOf(name: string): Promise<Record<string, string> | undefined> {
    try {
      const info: unknown = await this.docker.getVolume(name).inspect();
      const out: Record<string, string> = {};
      const labels = isPlainObject(info) && isPlainObject(info.Labels) ? info.Labels : {};
      for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
      return out;
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw err;
    }
  }
}
