import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceEvent } from '../contract/streams';
import { ContextRegistry } from './context-registry';
import { ResourceFeeds } from './resource-feeds';

// A context whose server refuses connections: the feed fails and retries, which is enough to see its lifetime.
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: nobody, user: {token: t}}]
contexts: [{name: gone, context: {cluster: nowhere, user: nobody}}]
current-context: gone
`;

describe('ResourceFeeds lifetime', () => {
  const dirs: string[] = [];
  let feeds: ResourceFeeds | undefined;
  afterEach(async () => {
    await feeds?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function make(lingerMs: number): ResourceFeeds {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-feeds-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'kubeconfig'), KUBECONFIG);
    const contexts = new ContextRegistry({ paths: () => [join(dir, 'kubeconfig')] });
    feeds = new ResourceFeeds(contexts, { lingerMs, retryMinMs: 50, retryMaxMs: 100 });
    return feeds;
  }

  it('keeps an informer for a while after its last subscriber, and reuses it when the view comes back', async () => {
    const f = make(300);
    const events: ResourceEvent[] = [];
    const dispose = f.subscribe({ context: 'gone', kind: 'pods' }, (e) => events.push(e as ResourceEvent));
    await expect.poll(() => events.length).toBeGreaterThan(0);
    dispose();
    expect(f.size).toBe(0);
    expect(f.running).toBe(1);
    // Back within the linger: the same informer answers at once with what it knows (here: its error).
    const again: ResourceEvent[] = [];
    const dispose2 = f.subscribe({ context: 'gone', kind: 'pods' }, (e) => again.push(e as ResourceEvent));
    expect(again.map((e) => e.type)).toEqual(['error']);
    expect(f.running).toBe(1);
    dispose2();
    await expect.poll(() => f.running, { timeout: 2000 }).toBe(0);
  });

  it('stops at once with lingerMs 0, and never keeps more than 16 idle informers', async () => {
    const f = make(0);
    f.subscribe({ context: 'gone', kind: 'pods' }, () => {})();
    expect(f.running).toBe(0);
    await f.stop();
    const g = make(60_000);
    for (let i = 0; i < 20; i++) g.subscribe({ context: 'gone', kind: 'pods', namespace: `ns-${i}` }, () => {})();
    expect(g.running).toBe(16);
    expect(g.size).toBe(0);
  });
});
