import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerVolumeBackend } from './docker-volume-backend';

/** Just the part of dockerode the backend uses, over an in-memory map. */
function fakeDocker(volumes: Map<string, Record<string, string>>): Docker {
  const notFound = (): Error => Object.assign(new Error('no such volume'), { statusCode: 404 });
  const fake = {
    createVolume: (opts: { Name: string; Labels: Record<string, string> }): Promise<unknown> => {
      volumes.set(opts.Name, opts.Labels);
      return Promise.resolve({});
    },
    getVolume: (name: string) => ({
      inspect: (): Promise<unknown> => (volumes.has(name) ? Promise.resolve({ Name: name, Labels: volumes.get(name) }) : Promise.reject(notFound())),
      remove: (): Promise<unknown> => (volumes.delete(name) ? Promise.resolve({}) : Promise.reject(notFound())),
    }),
  };
  return fake as unknown as Docker;
}

describe('DockerVolumeBackend', () => {
  it('creates labelled volumes once, and removes only its own', async () => {
    const volumes = new Map<string, Record<string, string>>();
    const backend = new DockerVolumeBackend('c1', fakeDocker(volumes));
    await backend.create('v', { 'dev.skiff.pv': 'pvc-1' });
    expect(volumes.get('v')).toEqual({ 'dev.skiff.pv': 'pvc-1', 'dev.skiff.cluster': 'c1' });
    await backend.create('v', { other: 'x' });
    expect(volumes.get('v')).toEqual({ 'dev.skiff.pv': 'pvc-1', 'dev.skiff.cluster': 'c1' });
    expect(await backend.exists('v')).toBe(true);
    volumes.set('foreign', { 'dev.skiff.cluster': 'c2' });
    await expect(backend.remove('foreign')).rejects.toThrow(/does not belong/);
    await backend.remove('v');
    await backend.remove('v');
    expect(await backend.exists('v')).toBe(false);
    expect(volumes.has('foreign')).toBe(true);
  });
});
