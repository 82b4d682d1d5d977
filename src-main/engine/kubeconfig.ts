/**
 * Merge the engine's context into a kubeconfig file without disturbing anything else in it (comments and
 * other entries are kept), written atomically with mode 0600. The context becomes current only if none is.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { isMap, isSeq, parseDocument, YAMLSeq, type Document, type YAMLMap } from 'yaml';

export interface EngineContext {
  /** used for the cluster, user and context names */
  name: string;
  server: string;
  caCert: string;
  token: string;
  namespace?: string;
}

/** The file `skiff engine start` writes to: --kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.trim() !== '');
  if (list.length > 0) return list[0];
  return join(homedir(), '.kube', 'config');
}

function namedEntry(seq: YAMLSeq, name: string): YAMLMap | undefined {
  for (const item of seq.items) {
    if (isMap(item) && item.get('name') === name) return item;
  }
  return undefined;
}

function upsert(doc: Document, listKey: string, name: string, innerKey: string, value: Record<string, unknown>): void {
  let seq = doc.get(listKey);
  if (!isSeq(seq)) {
    seq = new YAMLSeq();
    doc.set(listKey, seq);
  }
  const s = seq as YAMLSeq;
  const entry = { name, [innerKey]: value };
  const existing = namedEntry(s, name);
  const node = doc.createNode(entry);
  if (existing) s.items[s.items.indexOf(existing)] = node;
  else s.items.push(node);
}

/** Write or update the engine's cluster/user/context entries. Returns whether the context was made current. */
export function mergeEngineContext(file: string, ctx: EngineContext): { madeCurrent: boolean } {
  let text = '';
  if (existsSync(file)) text = readFileSync(file, 'utf8');
  const doc = parseDocument(text.trim() === '' ? 'apiVersion: v1\nkind: Config\n' : text);
  if (doc.errors.length > 0) {
    throw new Error(`cannot update kubeconfig ${file}: it is not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  }
  if (!isMap(doc.contents)) throw new Error(`cannot update kubeconfig ${file}: its top level is not a mapping`);
  if (!doc.has('apiVersion')) doc.set('apiVersion', 'v1');
  if (!doc.has('kind')) doc.set('kind', 'Config');
  upsert(doc, 'clusters', ctx.name, 'cluster', {
    server: ctx.server,
    'certificate-authority-data': Buffer.from(ctx.caCert).toString('base64'),
  });
  upsert(doc, 'users', ctx.name, 'user', { token: ctx.token });
  upsert(doc, 'contexts', ctx.name, 'context', { cluster: ctx.name, user: ctx.name, namespace: ctx.namespace ?? 'default' });
  const current = doc.get('current-context');
  let madeCurrent = false;
  if (typeof current !== 'string' || current === '') {
    doc.set('current-context', ctx.name);
    madeCurrent = true;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.skiff-${process.pid}.tmp`;
  writeFileSync(tmp, doc.toString(), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return { madeCurrent };
}
