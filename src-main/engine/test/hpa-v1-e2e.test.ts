/**
 * `kubectl autoscale` of kubectl 1.27–1.32 creates autoscaling/v1 HorizontalPodAutoscalers. On real Docker with
 * the real kubectl 1.27: the HPA it creates is stored, `kubectl get hpa` shows its TARGETS, the controller acts on
 * it (raises the Deployment to minReplicas, reports CPU utilization), and the v1 view shows what the controller
 * wrote (currentCPUUtilizationPercentage, conditions in the round-trip annotation).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually, kubectl } from './harness';
import { isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';
import { TEST_IMAGE } from './test-images';

const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';

function deployment(name: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'app',
              image: TEST_IMAGE,
              command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
              resources: { requests: { cpu: '100m', memory: '16Mi' } },
              readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  });
}

interface HpaV1 extends KubeObject {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number; targetCPUUtilizationPercentage?: number };
  status: { currentReplicas: number; desiredReplicas: number; currentCPUUtilizationPercentage?: number; lastScaleTime?: string };
}

describe.skipIf(!existsSync(KUBECTL_127))('kubectl 1.27 autoscale (autoscaling/v1) on Docker', () => {
  let e: RuntimeEngine;
  let k127: ReturnType<typeof kubectl>;

  beforeAll(async () => {
    e = await startRuntimeEngine({ engine: { metrics: { intervalMs: 500 }, hpaSyncMs: 1000 } });
    k127 = kubectl(KUBECTL_127, e);
  }, 60_000);
  afterAll(async () => {
    await e?.stop();
  });

  const ok127 = async (args: string[]): Promise<string> => {
    const r = await k127(args);
    if (r.code !== 0) throw new Error(`kubectl 1.27 ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  const targets = async (name: string): Promise<string> => {
    const [header, row = ''] = (await ok127(['get', 'hpa', name])).split('\n');
    return row.slice(header.indexOf('TARGETS'), header.indexOf('MINPODS')).trim();
  };

  it('creates an HPA the controller acts on, shown with TARGETS and as v1', async () => {
    await e.ok(['apply', '-f', '-'], deployment('v1web'));
    await e.ok(['rollout', 'status', 'deploy/v1web', '--timeout=60s']);

    const r = await k127(['autoscale', 'deployment', 'v1web', '--min=2', '--max=4', '--cpu-percent=50', '-v=6']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('horizontalpodautoscaler.autoscaling/v1web autoscaled');
    expect(r.stderr).toMatch(/POST https:\/\/127\.0\.0\.1:\d+\/apis\/autoscaling\/v1\/namespaces\/default\/horizontalpodautoscalers\?fieldManager=kubectl-autoscale 201 Created/);

    // stored as v2, with the CPU target as a Resource metric
    const v2 = await e.json<KubeObject>(['get', 'hpa', 'v1web']);
    expect(v2).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: { minReplicas: 2, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    });

    // the controller raises the Deployment to minReplicas and reports utilization once metrics flow
    await eventually(async () => ((await e.json<KubeObject>(['get', 'deploy', 'v1web'])).spec as { replicas: number }).replicas === 2, 30_000, 250);
    await eventually(async () => (await e.json<{ items: KubeObject[] }>(['get', 'pods', '-l', 'app=v1web'])).items.filter(isPodReady).length === 2, 60_000, 250);
    const shown = await eventually(async () => {
      const t = await targets('v1web');
      return /^cpu: \d+%\/50%$/.test(t) ? t : undefined;
    }, 30_000, 250);
    expect(shown).toMatch(/^cpu: \d+%\/50%$/);

    const asV1 = await eventually(async () => {
      const o = JSON.parse(await ok127(['get', 'hpa.v1.autoscaling', 'v1web', '-o', 'json'])) as HpaV1;
      return o.status.currentCPUUtilizationPercentage !== undefined && o.status.currentReplicas === 2 ? o : undefined;
    }, 30_000, 250);
    expect(asV1).toMatchObject({
      apiVersion: 'autoscaling/v1',
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'v1web' }, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 50 },
      status: { currentReplicas: 2, desiredReplicas: 2 },
    });
    expect(asV1.status.lastScaleTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const conditions = JSON.parse(asV1.metadata.annotations?.['autoscaling.alpha.kubernetes.io/conditions'] ?? '[]') as Array<{ type: string; status: string }>;
    expect(conditions.find((c) => c.type === 'ScalingActive')?.status).toBe('True');
    const described = await ok127(['describe', 'hpa', 'v1web']);
    expect(described).toMatch(/SuccessfulRescale/);

    // a v1 patch lands on the stored v2 object
    await ok127(['patch', 'hpa.v1.autoscaling', 'v1web', '--type=merge', '-p', '{"spec":{"minReplicas":1}}']);
    expect((await e.json<KubeObject>(['get', 'hpa', 'v1web'])).spec).toMatchObject({ minReplicas: 1 });

    expect(await ok127(['delete', 'hpa', 'v1web'])).toContain('deleted');
    await e.ok(['delete', 'deploy', 'v1web']);
  }, 180_000);
});
