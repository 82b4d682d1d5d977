import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { readRuntime } from '../../src-main/engine/runtime-file';

/** An object a spec made, to delete when it is done. */
export interface MadeObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * Deletes what a spec made, through the engine's own kubeconfig entry (as kubectl would), so the pods of one
 * spec do not load the engine for the next ones in the same `skiff serve`. Objects already gone are fine; any
 * other failure is the spec's failure.
 */
export async function deleteObjects(stateDir: string, objects: MadeObject[]): Promise<void> {
  const runtime = readRuntime(stateDir);
  if (runtime?.kubeconfig === undefined) throw new Error(`no running engine with a kubeconfig in ${stateDir}`);
  const kc = new KubeConfig();
  kc.loadFromFile(runtime.kubeconfig);
  kc.setCurrentContext(runtime.context ?? 'skiff');
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const o of objects) {
    try {
      await api.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) } }, undefined, undefined, 0, undefined, 'Background');
    } catch (error) {
      if ((error as { code?: unknown }).code !== 404) throw error;
    }
  }
}
