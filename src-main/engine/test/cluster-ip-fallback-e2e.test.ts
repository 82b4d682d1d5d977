/**
 * The fallback when ClusterIPs are not routable (engine option clusterIps: false, as on macOS, without root
 * or without iproute2), on real Docker with real kubectl: no address on lo, Service names resolve to one
 * ready pod IP per query (round-robin, an unready pod dropped at once), the pods' own port is the one to use
 * in-cluster, and a Service whose port differs from its targetPort gets a PortNotRemapped Warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { addressLabel } from '../lb/cluster-ip-addresses';
import { eventually } from './harness';
import { CLIENT_GET, counts, loAddresses, webDeployment } from './pod-client';
import { isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';
import { TEST_IMAGE } from './test-images';

const service = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'fb' }, spec: { selector: { app: 'fb' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });

describe('Services without routable ClusterIPs (fallback)', () => {
  let e: RuntimeEngine;
  const readyPods = async (): Promise<KubeObject[]> => (await e.json<{ items: KubeObject[] }>(['get', 'pods', '-l', 'app=fb'])).items.filter(isPodReady);
  const inClient = async (script: string): Promise<string[]> => (await e.ok(['exec', 'client', '--', 'sh', '-c', `${CLIENT_GET}\n${script}`])).split('\n').map((l) => l.trim()).filter(Boolean);

  beforeAll(async () => {
    e = await startRuntimeEngine({ engine: { clusterIps: false } });
    await e.ok(['apply', '-f', '-'], webDeployment('fb', 2));
    await e.ok(['apply', '-f', '-'], service);
    await e.ok(['run', 'client', `--image=${TEST_IMAGE}`, '--restart=Never', '--', 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']);
    await e.ok(['rollout', 'status', 'deploy/fb', '--timeout=90s']);
    await e.ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
    await eventually(async () => (await readyPods()).length === 2, 30_000, 200);
  }, 150_000);
  afterAll(async () => {
    await e?.stop();
  }, 60_000);

  it('puts no address on lo and resolves the Service name to ready pod IPs', async () => {
    expect(e.engine.dns, 'the cluster DNS did not start').toBeDefined();
    expect(e.engine.clusterIps).toBeUndefined();
    expect((await loAddresses()).filter((a) => a.label === addressLabel(e.clusterId))).toEqual([]);
    const podIps = new Set((await readyPods()).map((p) => (p.status as { podIP?: string }).podIP));
    const answers = await inClient('for i in 1 2 3 4; do resolve fb; done');
    expect(answers).toHaveLength(4);
    for (const ip of answers) expect(podIps.has(ip), `fb resolved to ${ip}`).toBe(true);
    expect(new Set(answers).size).toBe(2);
  });

  it('in-cluster clients use the pods\' port (no remapping), spread by DNS round-robin; an unready pod gets none', async () => {
    const byPod = counts(await inClient('for i in $(seq 60); do get fb 8080; done'));
    expect(byPod.size, [...byPod.keys()].join(',')).toBe(2);
    for (const [pod, n] of byPod) expect(Math.abs(n - 30), `${pod} got ${n}`).toBeLessThanOrEqual(9);
    expect(await inClient('get fb 80')).toEqual(['FAIL']);
    const [victim] = await readyPods();
    await e.ok(['exec', victim.metadata.name ?? '', '--', 'rm', '/tmp/ready']);
    await eventually(async () => (await readyPods()).length === 1, 20_000, 100);
    const after = counts(await inClient('for i in $(seq 20); do get fb 8080; done'));
    expect(after.get(victim.metadata.name ?? '') ?? 0).toBe(0);
    expect([...after.keys()]).toHaveLength(1);
    expect(after.has('FAIL') || after.has('NODNS')).toBe(false);
  });

  it('a Service port unlike its targetPort gets a PortNotRemapped Warning', async () => {
    const warning = await eventually(async () => {
      const items = (await e.json<{ items: Array<{ reason: string; type: string; message: string; involvedObject: { name: string } }> }>(['get', 'events'])).items;
      return items.find((ev) => ev.involvedObject.name === 'fb' && ev.reason === 'PortNotRemapped');
    }, 20_000, 200);
    expect(warning.type).toBe('Warning');
    expect(warning.message).toContain('must connect to port 8080, not 80');
  });
});
