import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** The kubeconfig files to read: every $KUBECONFIG entry (path-delimiter separated), else ~/.kube/config. */
export function kubeconfigPaths(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string[] {
  const fromEnv = (env.KUBECONFIG ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (fromEnv.length > 0) return [...new Set(fromEnv.map((p) => resolve(p)))];
  return [join(home, '.kube', 'config')];
}

export interface LoadedKubeconfig {
  config: KubeConfig;
  sources: string[];
  problems: string[];
}

/**
 * Reads and merges the files as kubectl does: the first file to define a name wins, and the first
 * current-context set is the current one. A missing file is skipped; an unparsable one is reported.
 */
export function loadKubeconfig(paths: readonly string[]): LoadedKubeconfig {
  const clusters = new Map<string, KubeConfig['clusters'][number]>();
  const users = new Map<string, KubeConfig['users'][number]>();
  const contexts = new Map<string, KubeConfig['contexts'][number]>();
  let current = '';
  const sources: string[] = [];
  const problems: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const one = new KubeConfig();
    try {
      one.loadFromFile(path);
    } catch (error) {
      problems.push(`${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      continue;
    }
    sources.push(path);
    for (const c of one.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (current === '' && one.currentContext) current = one.currentContext;
  }
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: contexts.has(current) ? current : '',
  });
  return { config, sources, problems };
}

/** A KubeConfig whose current context is `name`: what every client-node API uses. */
export function configForContext(all: KubeConfig, name: string): KubeConfig {
  const one = new KubeConfig();
  one.loadFromOptions({ clusters: all.clusters, users: all.users, contexts: all.contexts, currentContext: name });
  return one;
}
