/**
 * Routable ClusterIPs across engine restarts, on the real host's lo: addresses carrying the engine's label
 * that a killed engine left behind are removed at start, and the current Services' addresses come back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addressLabel } from '../lb/cluster-ip-addresses';
import { eventually } from './harness';
import { ipCommand, loAddresses } from './pod-client';
import { startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

describe('ClusterIPs on lo across restarts', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-test-'));
  let e: RuntimeEngine | undefined;
  let label = '';
  const stale = `10.96.${200 + Math.floor(Math.random() * 50)}.${2 + Math.floor(Math.random() * 250)}`;

  afterAll(async () => {
    await e?.stop();
    // whatever a failed run left: only this engine's label
    for (const a of await loAddresses()) if (label && a.label === label) await ipCommand(['addr', 'del', `${a.ip}/${a.prefix}`, 'dev', 'lo']).catch(() => undefined);
  }, 60_000);

  it('removes stale addresses with its label at start and puts the current ones back', async () => {
    e = await startRuntimeEngine({ stateDir, engine: { clusterIps: true } });
    label = addressLabel(e.clusterId);
    expect(e.engine.clusterIps, 'ClusterIPs are not routable (see the engine log)').toBeDefined();
    await e.ok(['create', 'service', 'clusterip', 'kept', '--tcp=80:8080']);
    const ip = (await e.json<{ spec: { clusterIP: string } }>(['get', 'service', 'kept'])).spec.clusterIP;
    await eventually(async () => (await loAddresses()).some((a) => a.ip === ip && a.label === label), 10_000, 100);
    // as after a kill -9: the engine gone, its addresses still there (plus one of a Service deleted meanwhile)
    await e.engine.stop();
    await ipCommand(['addr', 'add', `${ip}/32`, 'dev', 'lo', 'label', label]);
    await ipCommand(['addr', 'add', `${stale}/32`, 'dev', 'lo', 'label', label]);
    const restarted = await startRuntimeEngine({ stateDir, engine: { clusterIps: true } });
    e = restarted;
    expect(addressLabel(restarted.clusterId)).toBe(label);
    await eventually(async () => (await loAddresses()).some((a) => a.ip === ip && a.label === label), 10_000, 100);
    expect((await loAddresses()).map((a) => a.ip)).not.toContain(stale);
    expect(restarted.engine.loadBalancer?.listeners('default', 'kept')).toMatchObject([{ host: ip, port: 80, kind: 'clusterIP', listening: true }]);
  });
});
