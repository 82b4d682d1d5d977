import { describe, expect, it } from 'vitest';
import { emptyDirVolumeName, fileVolumeDir, podVolumesDir, sanitizeDockerName } from './volume-names';

describe('volume names', () => {
  it('builds the emptyDir volume name from cluster id, pod uid and volume', () => {
    expect(emptyDirVolumeName('c1', '0f5c-11', 'cache')).toBe('skiff-c1-0f5c-11-cache');
  });

  it('replaces characters Docker refuses and never starts with a separator', () => {
    expect(sanitizeDockerName('a/b c:d')).toBe('a-b-c-d');
    expect(sanitizeDockerName('-x')).toBe('x-x');
    expect(emptyDirVolumeName('my cluster', 'u', 'v')).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/);
  });

  it('keeps file volumes under the pod directory, whatever the names', () => {
    expect(podVolumesDir('/s', 'uid')).toBe('/s/pods/uid/volumes');
    expect(fileVolumeDir('/s', 'uid', 'configmap', 'cfg')).toBe('/s/pods/uid/volumes/configmap/cfg');
    expect(fileVolumeDir('/s', '..', 'secret', '../x')).toBe('/s/pods/_../volumes/secret/.._x');
  });
});
