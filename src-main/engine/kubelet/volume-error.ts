/** The error the volume manager throws; `reason` is the event reason the kubelet reports it under. */

/** A volume that cannot be set up (yet): the kubelet records an event with `reason` and retries later. */
export class VolumeError extends Error {
  constructor(
    /** FailedMount | FailedAttachVolume */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'VolumeError';
  }
}

/** The kubelet's wording for a volume whose SetUp failed: `MountVolume.SetUp failed for volume "v" : detail`. */
export function setUpFailed(volume: string, detail: string): VolumeError {
  return new VolumeError('FailedMount', `MountVolume.SetUp failed for volume "${volume}" : ${detail}`);
}
