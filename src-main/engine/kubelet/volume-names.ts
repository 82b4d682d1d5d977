/** Names and labels of the Docker volumes and host directories the volume manager owns. */
import { join } from 'node:path';

/** Labels a pod-scoped Docker volume carries beside the cluster and pod-uid labels of labels.ts. */
export const LABEL_VOLUME_NAME = 'dev.skiff.volume';
/** what kind of pod volume a Docker volume backs ('emptyDir') */
export const LABEL_VOLUME_KIND = 'dev.skiff.volume-kind';

/** Docker volume names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*; anything else becomes '-'. */
export function sanitizeDockerName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return /^[a-zA-Z0-9]/.test(cleaned) ? cleaned : `x${cleaned}`;
}

/** The Docker volume backing a pod's emptyDir: shared by every container of that pod, and only of that pod. */
export function emptyDirVolumeName(clusterId: string, podUid: string, volume: string): string {
  return sanitizeDockerName(`skiff-${clusterId}-${podUid}-${volume}`);
}

/** `<stateDir>/pods`: one directory per pod uid (shared with the kubelet's own per-pod files). */
export function podsDir(stateDir: string): string {
  return join(stateDir, 'pods');
}

/** `<stateDir>/pods/<podUid>/volumes`: the pod's projected files (configMap, secret, downwardAPI, projected). */
export function podVolumesDir(stateDir: string, podUid: string): string {
  return join(podsDir(stateDir), safeSegment(podUid), 'volumes');
}

/** `<stateDir>/pods/<podUid>/volumes/<kind>/<volume>` */
export function fileVolumeDir(stateDir: string, podUid: string, kind: string, volume: string): string {
  return join(podVolumesDir(stateDir, podUid), kind, safeSegment(volume));
}

/** One path segment that cannot climb out of its parent (pod uids and volume names are validated upstream). */
function safeSegment(s: string): string {
  const cleaned = s.replace(/[/\\\0]/g, '_');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? `_${cleaned}` : cleaned;
}
