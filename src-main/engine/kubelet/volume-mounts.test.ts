import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { VolumeError } from './volume-error';
import { containerMounts, expand, mountRequests, podContainers, subPathError, type PreparedVolume } from './volume-mounts';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default', uid: 'u' },
  spec: {
    initContainers: [{ name: 'init' }],
    containers: [{ name: 'app' }, { name: 'side' }],
  },
};

const volumes = new Map<string, PreparedVolume>([
  ['cache', { kind: 'docker', volume: 'skiff-c-u-cache', mountpoint: '/var/lib/docker/volumes/skiff-c-u-cache/_data', readOnly: false }],
  ['data', { kind: 'docker', volume: 'pv-1', mountpoint: '/var/lib/docker/volumes/pv-1/_data', readOnly: true }],
  ['host', { kind: 'bind', path: '/srv/host', readOnly: false, atomic: false }],
  ['cfg', { kind: 'bind', path: '/state/pods/u/volumes/configmap/cfg', readOnly: true, atomic: true }],
]);

describe('containerMounts', () => {
  it('mounts Docker volumes by name without copying image content, and host dirs as binds', () => {
    const c = {
      name: 'app',
      volumeMounts: [
        { name: 'cache', mountPath: '/cache' },
        { name: 'host', mountPath: '/host', readOnly: true, mountPropagation: 'HostToContainer' },
        { name: 'cfg', mountPath: '/etc/cfg' },
      ],
    };
    expect(containerMounts(pod, c, volumes)).toEqual([
      { Type: 'volume', Source: 'skiff-c-u-cache', Target: '/cache', ReadOnly: false, VolumeOptions: { NoCopy: true } },
      { Type: 'bind', Source: '/srv/host', Target: '/host', ReadOnly: true, BindOptions: { Propagation: 'rslave' } },
      { Type: 'bind', Source: '/state/pods/u/volumes/configmap/cfg', Target: '/etc/cfg', ReadOnly: true, BindOptions: { Propagation: 'rprivate' } },
    ]);
  });

  it('honours a read-only volume even when the mount does not ask', () => {
    expect(containerMounts(pod, { name: 'app', volumeMounts: [{ name: 'data', mountPath: '/d' }] }, volumes)[0].ReadOnly).toBe(true);
  });

  it('binds subPaths: inside the volume mountpoint, resolved through the atomic writer links', () => {
    const c = {
      name: 'app',
      volumeMounts: [
        { name: 'cache', mountPath: '/logs', subPath: 'logs/' },
        { name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf' },
        { name: 'host', mountPath: '/h', subPath: 'a/b' },
      ],
    };
    const mounts = containerMounts(pod, c, volumes, (p) => p.replace('/cfg/', '/cfg/..2024_x/'));
    expect(mounts.map((m) => [m.Type, m.Source, m.BindOptions])).toEqual([
      // Docker only accepts slave or shared propagation for sources inside its data root
      ['bind', '/var/lib/docker/volumes/skiff-c-u-cache/_data/logs', { Propagation: 'rslave' }],
      ['bind', '/state/pods/u/volumes/configmap/cfg/..2024_x/app.conf', { Propagation: 'rprivate' }],
      ['bind', '/srv/host/a/b', { Propagation: 'rprivate' }],
    ]);
  });

  it('expands subPathExpr from env values and downward-API fields', () => {
    const c = {
      name: 'app',
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'DIR', value: 'd-$(POD)' }],
      volumeMounts: [{ name: 'cache', mountPath: '/x', subPathExpr: '$(DIR)/$(NOPE)/$$' }],
    };
    expect(mountRequests(pod, c)[0].subPath).toBe('d-web-1/$(NOPE)/$');
    expect(expand('$(A)$(B)', new Map([['A', '1']]))).toBe('1$(B)');
  });

  it('throws VolumeError for an unknown volume or an escaping subPath', () => {
    expect(() => containerMounts(pod, { name: 'app', volumeMounts: [{ name: 'nope', mountPath: '/n' }] }, volumes)).toThrow(VolumeError);
    const bad = { name: 'app', env: [{ name: 'X', value: '..' }], volumeMounts: [{ name: 'cache', mountPath: '/n', subPathExpr: '$(X)/etc' }] };
    expect(() => containerMounts(pod, bad, volumes)).toThrow(/failed to prepare subPath for volumeMount "cache" of container "app"/);
    expect(subPathError('/abs')).toMatch(/relative/);
    expect(subPathError('a/b')).toBeUndefined();
  });

  it('lists every container of the pod', () => {
    expect(podContainers(pod).map((c) => c.name)).toEqual(['init', 'app', 'side']);
  });
});
