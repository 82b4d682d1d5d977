/**
 * A persistentVolumeClaim volume resolved to what backs it (pure): the claim must exist and be Bound to a
 * PersistentVolume that is either a Docker volume (CSI driver skiff.dev/docker-volume, handle = volume name,
 * as the engine's provisioner makes them) or a host directory (hostPath or local).
 */
import type { KubeObject } from '../object';
import { asBoolean, asString, getObject, getString } from '../registry/json-access';

/** The CSI driver name of PersistentVolumes that are Docker volumes. */
export const DOCKER_VOLUME_CSI_DRIVER = 'skiff.dev/docker-volume';

export type ClaimBacking =
  | { ok: true; kind: 'docker-volume'; pvName: string; volume: string; readOnly: boolean }
  | { ok: true; kind: 'host-path'; pvName: string; path: string; type: string; readOnly: boolean }
  | { ok: false; reason: 'FailedMount' | 'FailedAttachVolume'; message: string };

const failed = (message: string, reason: 'FailedMount' | 'FailedAttachVolume' = 'FailedMount'): ClaimBacking => ({ ok: false, reason, message });

/**
 * `source` is the pod volume's persistentVolumeClaim ({claimName, readOnly}); `claim` and `lookupPv` read the
 * store. Messages are those users know from the scheduler and kubelet.
 */
export function resolveClaim(
  namespace: string,
  source: Record<string, unknown>,
  claim: KubeObject | undefined,
  lookupPv: (name: string) => KubeObject | undefined,
): ClaimBacking {
  const claimName = asString(source.claimName) ?? '';
  if (!claim) return failed(`persistentvolumeclaim "${claimName}" not found`);
  if (claim.metadata.deletionTimestamp) return failed(`persistentvolumeclaim "${claimName}" is being deleted`);
  const pvName = getString(claim, 'spec', 'volumeName');
  if (getString(claim, 'status', 'phase') !== 'Bound' || !pvName) {
    return failed(`persistentvolumeclaim "${claimName}" is not bound: pod has unbound immediate PersistentVolumeClaims`);
  }
  const pv = lookupPv(pvName);
  if (!pv) return failed(`persistentvolume "${pvName}" not found`);
  const claimRef = getObject(pv, 'spec', 'claimRef');
  const refUid = asString(claimRef?.uid);
  const matches = claimRef && asString(claimRef.name) === claimName && (asString(claimRef.namespace) ?? namespace) === namespace && (!refUid || refUid === claim.metadata.uid);
  if (!matches) return failed(`persistentvolume "${pvName}" is not bound to persistentvolumeclaim "${namespace}/${claimName}"`);
  const readOnly = asBoolean(source.readOnly) === true;

  const csi = getObject(pv, 'spec', 'csi');
  if (csi && asString(csi.driver) === DOCKER_VOLUME_CSI_DRIVER) {
    const handle = asString(csi.volumeHandle) ?? '';
    if (!handle) return failed(`persistentvolume "${pvName}" has no volumeHandle`);
    return { ok: true, kind: 'docker-volume', pvName, volume: handle, readOnly: readOnly || asBoolean(csi.readOnly) === true };
  }
  const hostPath = getObject(pv, 'spec', 'hostPath');
  if (hostPath) return { ok: true, kind: 'host-path', pvName, path: asString(hostPath.path) ?? '', type: asString(hostPath.type) ?? '', readOnly };
  const local = getObject(pv, 'spec', 'local');
  if (local) return { ok: true, kind: 'host-path', pvName, path: asString(local.path) ?? '', type: 'Directory', readOnly };
  const driver = csi ? `CSI driver ${asString(csi.driver) ?? ''}` : 'its volume source';
  return failed(
    `AttachVolume.Attach failed for volume "${pvName}" : ${driver} is not supported (supported: CSI driver ${DOCKER_VOLUME_CSI_DRIVER}, hostPath, local)`,
    'FailedAttachVolume',
  );
}

