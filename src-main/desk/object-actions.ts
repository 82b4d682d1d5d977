import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { ResourceKind } from '../contract/kinds';
import type { ApplyDocumentResult, ApplyResult, ObjectWithYaml } from '../contract/objects';
import { DeskError, toClusterError } from './cluster-error';
import type { ContextClient } from './context-registry';
import { apiRoot, kindInfo, objectPath } from './kind-catalog';
import { KubeHttpError, kubeRequest } from './kube-http';
import { record, text } from './json-fields';
import { forDisplay, toYaml, unmaskSecret } from './object-yaml';

/** The field manager our writes are recorded under. */
export const FIELD_MANAGER = 'skiff-console';

export async function getObject(client: ContextClient, kind: ResourceKind, namespace: string | undefined, name: string): Promise<ObjectWithYaml> {
  const object = forDisplay(await kubeRequest(client.config, { method: 'GET', path: objectPath(kind, namespace, name) }));
  return { object, yaml: toYaml(object) };
}

/** Edit in place: PUT the edited object. Its identity must not change; a stale resourceVersion is a 409 conflict. */
export async function replaceObject(
  client: ContextClient,
  ref: { kind: ResourceKind; namespace?: string; name: string },
  yamlText: string,
): Promise<ObjectWithYaml> {
  let edited: unknown;
  try {
    edited = parseYaml(yamlText);
  } catch (error) {
    throw new DeskError('invalid', `the YAML does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = record(edited);
  const meta = record(body.metadata);
  const info = kindInfo(ref.kind);
  if (body.kind !== info.kindName) throw new DeskError('invalid', `kind must stay ${info.kindName}`);
  if (meta.name !== ref.name) throw new DeskError('invalid', `metadata.name must stay ${ref.name}`);
  if (info.namespaced && meta.namespace !== undefined && meta.namespace !== ref.namespace) {
    throw new DeskError('invalid', `metadata.namespace must stay ${ref.namespace ?? ''}`);
  }
  const path = objectPath(ref.kind, ref.namespace, ref.name);
  // A Secret comes back masked from getObject: values still masked keep what the server stores.
  const toWrite = ref.kind === 'secrets' ? unmaskSecret(body, record(await kubeRequest(client.config, { method: 'GET', path }))) : body;
  const replaced = forDisplay(
    await kubeRequest(client.config, {
      method: 'PUT',
      path,
      query: { fieldManager: FIELD_MANAGER },
      body: JSON.stringify(toWrite),
    }),
  );
  return { object: replaced, yaml: toYaml(replaced) };
}

export async function deleteObject(
  client: ContextClient,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
): Promise<{ status: 'deleted' | 'deleting' }> {
  const answer = record(
    await kubeRequest(client.config, {
      method: 'DELETE',
      path: objectPath(kind, namespace, name),
      body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }),
    }),
  );
  // A Status means it is gone; the object itself (with a deletionTimestamp) means it is on its way out.
  return { status: answer.kind === 'Status' ? 'deleted' : 'deleting' };
}

/** The plural name and scope of a kind, from the server's discovery document for its group version. */
async function discoverResource(
  client: ContextClient,
  cache: Map<string, Promise<unknown>>,
  apiVersion: string,
  kind: string,
): Promise<{ name: string; namespaced: boolean } | undefined> {
  let document = cache.get(apiVersion);
  if (document === undefined) {
    document = kubeRequest(client.config, { method: 'GET', path: apiRoot(apiVersion) });
    cache.set(apiVersion, document);
  }
  let resources: unknown;
  try {
    resources = record(await document).resources;
  } catch (error) {
    if (error instanceof KubeHttpError && error.statusCode === 404) return undefined;
    throw error;
  }
  const found = (Array.isArray(resources) ? resources : [])
    .map(record)
    .find((r) => r.kind === kind && typeof r.name === 'string' && !r.name.includes('/'));
  return found === undefined ? undefined : { name: String(found.name), namespaced: found.namespaced === true };
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Applies every document with server-side apply (PATCH application/apply-patch+yaml, force): the server
 * creates what is missing and merges what exists. Each document gets its own outcome; one failing does
 * not stop the others, as with `kubectl apply -f`.
 */
export async function applyYaml(client: ContextClient, yamlText: string, defaultNamespace: string): Promise<ApplyResult> {
  const documents = parseAllDocuments(yamlText);
  const discovery = new Map<string, Promise<unknown>>();
  const results: ApplyDocumentResult[] = [];
  const list = Array.isArray(documents) ? documents : [documents];
  for (const [index, doc] of list.entries()) {
    const range = (doc as { range?: [number, number, number] }).range;
    // The document's first content line, not the `---` above it.
    const contentsRange = (doc as { contents?: { range?: [number, number, number] } | null }).contents?.range;
    const line = lineAt(yamlText, contentsRange?.[0] ?? range?.[0] ?? 0);
    const base = { index, line, kind: null, name: null, namespace: null };
    const failed = (message: string, status: number | null = null): ApplyDocumentResult => ({
      ...base,
      outcome: 'failed',
      error: { code: 'invalid', message, server: client.server, status, causes: [] },
    });
    if (doc.errors.length > 0) {
      results.push(failed(`YAML error: ${doc.errors[0].message}`));
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) {
      results.push({ ...base, outcome: 'skipped', error: null });
      continue;
    }
    const object = record(value);
    const meta = record(object.metadata);
    const kind = text(object.kind);
    const apiVersion = text(object.apiVersion);
    const name = text(meta.name);
    const described = { ...base, kind, name, namespace: text(meta.namespace) };
    if (typeof value !== 'object' || Array.isArray(value) || kind === null || apiVersion === null || name === null) {
      results.push({ ...failed('every document needs apiVersion, kind and metadata.name'), kind, name });
      continue;
    }
    try {
      const resource = await discoverResource(client, discovery, apiVersion, kind);
      if (resource === undefined) throw new DeskError('invalid', `the server does not know ${kind} in ${apiVersion}`);
      const namespace = resource.namespaced ? (text(meta.namespace) ?? defaultNamespace) : undefined;
      if (namespace !== undefined) object.metadata = { ...meta, namespace };
      const path = `${apiRoot(apiVersion)}${namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`}/${resource.name}/${encodeURIComponent(name)}`;
      let before: string | null = null;
      try {
        before = text(record(record(await kubeRequest(client.config, { method: 'GET', path })).metadata).resourceVersion);
      } catch (error) {
        if (!(error instanceof KubeHttpError && error.statusCode === 404)) throw error;
      }
      const applied = record(
        await kubeRequest(client.config, {
          method: 'PATCH',
          path,
          query: { fieldManager: FIELD_MANAGER, force: 'true' },
          body: JSON.stringify(object),
          contentType: 'application/apply-patch+yaml',
        }),
      );
      const after = text(record(applied.metadata).resourceVersion);
      results.push({
        ...described,
        namespace: namespace ?? null,
        outcome: before === null ? 'created' : before === after ? 'unchanged' : 'configured',
        error: null,
      });
    } catch (error) {
      results.push({ ...described, outcome: 'failed', error: toClusterError(error, client.server) });
    }
  }
  return { documents: results, ok: results.every((r) => r.outcome !== 'failed') };
}
