import { describe, expect, it } from 'vitest';
import { VolumeError, setUpFailed } from './volume-error';

describe('VolumeError', () => {
  it('carries the event reason and the kubelet SetUp wording', () => {
    const e = setUpFailed('config', 'configmap "app" not found');
    expect(e).toBeInstanceOf(VolumeError);
    expect(e).toBeInstanceOf(Error);
    expect(e.reason).toBe('FailedMount');
    expect(e.message).toBe('MountVolume.SetUp failed for volume "config" : configmap "app" not found');
    expect(new VolumeError('FailedAttachVolume', 'x').reason).toBe('FailedAttachVolume');
  });
});
