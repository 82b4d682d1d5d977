/** Where provisioned PersistentVolumes keep their data: named volumes of the container engine. */

export interface VolumeBackend {
  /** Create the named volume with these labels; an existing volume of that name is kept. */
  create(name: string, labels: Record<string, string>): Promise<void>;
  /** Remove the named volume; one already gone is fine. */
  remove(name: string): Promise<void>;
  exists(name: string): Promise<boolean>;
}

/** Docker volume names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
function dockerSafe(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return /^[a-zA-Z0-9]/.test(cleaned) ? cleaned : `x${cleaned}`;
}

/** The Docker volume of a provisioned claim: unique per engine (cluster id) and per claim (uid). */
export function provisionedDockerVolumeName(clusterId: string, claimUid: string): string {
  return dockerSafe(`skiff-${clusterId}-pvc-${claimUid}`);
}
