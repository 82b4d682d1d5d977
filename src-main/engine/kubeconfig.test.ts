import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeEngineContext } from './kubeconfig';

const ctx = { name: 'skiff', server: 'https://127.0.0.1:6443', caCert: 'CA', token: 'tok' };

describe('mergeEngineContext', () => {
  it('creates a new 0600 kubeconfig and makes the context current', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'kc-')), 'sub', 'config');
    expect(mergeEngineContext(f, ctx).madeCurrent).toBe(true);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    const kc = parse(readFileSync(f, 'utf8'));
    expect(kc['current-context']).toBe('skiff');
    expect(kc.clusters[0].cluster['certificate-authority-data']).toBe(Buffer.from('CA').toString('base64'));
    expect(kc.users[0].user.token).toBe('tok');
  });

  it('keeps other entries, comments and the current context', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'kc-')), 'config');
    writeFileSync(
      f,
      '# my clusters\napiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters:\n- name: prod\n  cluster: {server: "https://prod:443"}\n- name: skiff\n  cluster: {server: "https://old"}\nusers:\n- name: prod\n  user: {token: p}\ncontexts:\n- name: prod\n  context: {cluster: prod, user: prod}\n',
    );
    expect(mergeEngineContext(f, ctx).madeCurrent).toBe(false);
    const text = readFileSync(f, 'utf8');
    expect(text).toContain('# my clusters');
    const kc = parse(text);
    expect(kc['current-context']).toBe('prod');
    expect(kc.clusters.map((c: { name: string }) => c.name)).toEqual(['prod', 'skiff']);
    expect(kc.clusters[1].cluster.server).toBe('https://127.0.0.1:6443');
    expect(kc.users.map((c: { name: string }) => c.name)).toEqual(['prod', 'skiff']);
    expect(kc.contexts[1]).toEqual({ name: 'skiff', context: { cluster: 'skiff', user: 'skiff', namespace: 'default' } });
  });

  it('refuses a kubeconfig that is not YAML and leaves it untouched', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'kc-')), 'config');
    writeFileSync(f, 'clusters: [unclosed\n');
    expect(() => mergeEngineContext(f, ctx)).toThrow(/not valid YAML/);
    expect(readFileSync(f, 'utf8')).toBe('clusters: [unclosed\n');
  });
});
