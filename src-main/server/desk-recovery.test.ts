/**
 * A cluster that goes away and comes back: the feed reports the specific error (with the retry delay), the
 * context's status follows, and once the API answers again the feed recovers by itself with a fresh snapshot
 * that includes what changed meanwhile. No polling: recovery is the informer's list+watch restarting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContextStatus } from '../contract/cluster';
import type { ResourceEvent } from '../contract/streams';
import { Desk } from '../desk/desk';
import { Engine } from '../engine/engine';
import { mergeEngineContext } from '../engine/kubeconfig';
import { eventually } from '../engine/test/harness';

describe('desk recovery', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-recovery-'));
  const kubeconfig = join(stateDir, 'kubeconfig');
  let engine: Engine | null = null;
  let desk: Desk | null = null;

  afterAll(async () => {
    await desk?.stop();
    await engine?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('reports the engine going away and recovers when it comes back on the same address', async () => {
    engine = await Engine.start({ stateDir, port: 0, skiffVersion: 'test', runtime: false });
    const port = engine.port;
    mergeEngineContext(kubeconfig, { name: 'skiff', server: engine.url, caCert: engine.pki.caCert, token: engine.pki.token });
    desk = new Desk({ kubeconfigPaths: () => [kubeconfig], localContext: () => 'skiff', batchMs: 20, retryMinMs: 100, retryMaxMs: 400 });
    const statuses: ContextStatus['state'][] = [];
    desk.watchContexts((list) => statuses.push(list.contexts[0].status.state));
    const events: ResourceEvent[] = [];
    const stop = desk.watchResources({ context: 'skiff', kind: 'namespaces' }, (e) => events.push(e));
    try {
      await eventually(() => events.some((e) => e.type === 'snapshot'));
      expect(desk.contexts.status('skiff').state).toBe('connected');

      await engine.stop();
      engine = null;
      const failure = await eventually(() => events.find((e) => e.type === 'error'), 10_000);
      expect(failure).toMatchObject({ type: 'error', error: { code: 'unreachable', server: `https://127.0.0.1:${port}` } });
      await eventually(() => desk?.contexts.status('skiff').state === 'error');
      // it keeps retrying with growing delays, without any caller asking
      await eventually(() => events.filter((e) => e.type === 'error').length >= 3, 10_000);
      const delays = events.flatMap((e) => (e.type === 'error' && e.retryInMs !== null ? [e.retryInMs] : []));
      expect(delays.slice(0, 3)).toEqual([100, 200, 400]);

      // Back on the same port with the same state (and a namespace created while we were away).
      engine = await Engine.start({ stateDir, port, skiffVersion: 'test', runtime: false });
      engine.service.create(engine.service.typeOf('namespaces') as NonNullable<ReturnType<typeof engine.service.typeOf>>, '', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'while-away' },
      });
      const snapshots = (): ResourceEvent[] => events.filter((e) => e.type === 'snapshot');
      await eventually(() => snapshots().length === 2, 10_000);
      const latest = snapshots()[1];
      expect(latest.type === 'snapshot' && latest.rows.map((r) => r.name)).toContain('while-away');
      await eventually(() => desk?.contexts.status('skiff').state === 'connected');
      expect(statuses).toEqual(expect.arrayContaining(['connected', 'error']));
      expect(statuses.at(-1)).toBe('connected');
    } finally {
      stop();
    }
  });
});
