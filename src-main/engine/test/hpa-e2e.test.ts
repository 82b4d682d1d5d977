/**
 * HorizontalPodAutoscalers end to end on real Docker with real kubectl: CPU utilization scales a Deployment
 * up while its pods burn CPU and back down once they stop and the (shortened) stabilization window has
 * passed; a missing target gets clear conditions and events and disturbs nothing; garbage specs get 422 with
 * field causes; and the Pods metric requests_per_second scales on synthetic rates from a test PodTraffic.
 */
import { chmodSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodTraffic } from '../metrics/pod-traffic';
import type { KubeObject } from '../object';
import { api, eventually } from './harness';
import { isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

/** Synthetic request rates: a total per app label, spread evenly over the app's running pods. */
class TestTraffic implements PodTraffic {
  readonly rates = new Map<string, number>();
  podsOf: (app: string) => string[] = () => [];
  requestRate(namespace: string, pod: string): number | undefined {
    if (namespace !== 'default') return undefined;
    for (const [app, total] of this.rates) {
      const pods = this.podsOf(app);
      if (pods.includes(pod)) return total / pods.length;
    }
    return undefined;
  }
  totals(): undefined {
    return undefined;
  }
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

interface EventView {
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
}

function deployment(name: string, command: string, o: { hostDir?: string; cpu?: string } = {}): string {
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
              image: 'busybox:1.36',
              command: ['sh', '-c', command],
              resources: { requests: { cpu: o.cpu ?? '100m', memory: '16Mi' } },
              readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
              ...(o.hostDir ? { volumeMounts: [{ name: 'ctl', mountPath: '/ctl' }] } : {}),
            },
          ],
          ...(o.hostDir ? { volumes: [{ name: 'ctl', hostPath: { path: o.hostDir, type: 'Directory' } }] } : {}),
        },
      },
    },
  });
}

function hpa(name: string, target: string, metrics: unknown[], o: { min?: number; max?: number; downWindow?: number } = {}): string {
  return JSON.stringify({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: o.min ?? 1,
      maxReplicas: o.max ?? 4,
      metrics,
      behavior: { scaleDown: { stabilizationWindowSeconds: o.downWindow ?? 4 } },
    },
  });
}

const cpuMetric = (utilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } } });

describe('HorizontalPodAutoscaler on Docker via kubectl', () => {
  let e: RuntimeEngine;
  const traffic = new TestTraffic();
  const hostDir = mkdtempSync(join(tmpdir(), 'skiff-hpa-ctl-'));
  chmodSync(hostDir, 0o777);

  beforeAll(async () => {
    e = await startRuntimeEngine({ engine: { metrics: { intervalMs: 500 }, hpaSyncMs: 1000, podTraffic: traffic } });
    traffic.podsOf = (app) =>
      e.engine.service.store
        .list('pods', 'default')
        .filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp && (p.status as { phase?: string } | undefined)?.phase === 'Running')
        .map((p) => p.metadata.name ?? '');
  }, 60_000);
  afterAll(async () => {
    await e?.stop();
    rmSync(hostDir, { recursive: true, force: true });
  });

  const replicasOf = async (name: string): Promise<number> => ((await e.json<KubeObject>(['get', 'deploy', name])).spec as { replicas: number }).replicas;
  const readyPods = async (app: string): Promise<number> => (await e.json<{ items: KubeObject[] }>(['get', 'pods', '-l', `app=${app}`])).items.filter(isPodReady).length;
  const conditions = async (name: string): Promise<Condition[]> => ((await e.json<KubeObject>(['get', 'hpa', name])).status as { conditions?: Condition[] }).conditions ?? [];
  const eventsOf = async (name: string): Promise<EventView[]> =>
    (await e.json<{ items: EventView[] }>(['get', 'events', '--field-selector', `involvedObject.name=${name}`])).items.filter((ev) => ev.involvedObject.kind === 'HorizontalPodAutoscaler');
  const targets = async (name: string): Promise<string> => {
    const out = await e.ok(['get', 'hpa', name]);
    const header = out.split('\n')[0];
    const row = out.split('\n')[1] ?? '';
    const start = header.indexOf('TARGETS');
    const end = header.indexOf('MINPODS');
    return row.slice(start, end).trim();
  };

  it('scales a Deployment on CPU utilization from 1 to ≥3 while it burns, and back to 1 after the window', async () => {
    await e.ok(['apply', '-f', '-'], deployment('cpu', 'while :; do if [ -f /ctl/burn ]; then :; else sleep 1; fi; done', { hostDir, cpu: '200m' }));
    await e.ok(['rollout', 'status', 'deploy/cpu', '--timeout=60s']);
    await e.ok(['apply', '-f', '-'], hpa('cpu', 'cpu', [cpuMetric(50)]));
    // metrics flow: the idle pod is below target, nothing changes
    await eventually(async () => (await conditions('cpu')).find((c) => c.type === 'ScalingActive')?.status === 'True', 30_000, 250);
    expect(await targets('cpu')).toMatch(/^cpu: \d+%\/50%$/);
    expect(await replicasOf('cpu')).toBe(1);

    writeFileSync(join(hostDir, 'burn'), '');
    await eventually(async () => (await replicasOf('cpu')) >= 3, 60_000, 250);
    const up = (await eventsOf('cpu')).find((ev) => ev.reason === 'SuccessfulRescale');
    expect(up?.type).toBe('Normal');
    // The first step is ceil(utilization / target): 2 when a loaded machine gives the burner under a core.
    expect(up?.message).toMatch(/^New size: [234]; reason: cpu resource utilization \(percentage of request\) above target$/);
    await eventually(async () => (await readyPods('cpu')) >= 3, 60_000, 250);
    const status = (await e.json<KubeObject>(['get', 'hpa', 'cpu'])).status as { currentReplicas: number; desiredReplicas: number; lastScaleTime: string; currentMetrics: Array<{ resource: { current: { averageUtilization: number } } }> };
    expect(status.lastScaleTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(status.currentMetrics[0].resource.current.averageUtilization).toBeGreaterThan(50);
    expect(await targets('cpu')).toMatch(/^cpu: \d+%\/50%$/);

    unlinkSync(join(hostDir, 'burn'));
    await eventually(async () => (await replicasOf('cpu')) === 1, 60_000, 250).catch(async (err: unknown) => {
      console.log(await e.ok(['get', 'hpa', 'cpu', '-o', 'yaml']), await e.ok(['top', 'pods']), await e.ok(['get', 'pods', '-o', 'wide']), await e.ok(['get', 'events']));
      throw err;
    });
    // down in one or more steps (the window holds the highest recent recommendation), ending at 1
    const down = (await eventsOf('cpu')).filter((ev) => ev.reason === 'SuccessfulRescale' && /All metrics below target/.test(ev.message)).map((ev) => ev.message);
    expect(down).toContain('New size: 1; reason: All metrics below target');
    const conds = await conditions('cpu');
    expect(conds.map((c) => c.type).sort()).toEqual(['AbleToScale', 'ScalingActive', 'ScalingLimited']);
    const described = await e.ok(['describe', 'hpa', 'cpu']);
    expect(described).toMatch(/SuccessfulRescale/);
  }, 180_000);

  it('reports a missing target with conditions and events, and disturbs nothing else', async () => {
    await e.ok(['apply', '-f', '-'], deployment('bystander', 'trap "exit 0" TERM; while true; do sleep 1; done'));
    await e.ok(['rollout', 'status', 'deploy/bystander', '--timeout=60s']);
    await e.ok(['apply', '-f', '-'], hpa('ghost', 'ghost', [cpuMetric(50)]));
    const able = await eventually(async () => (await conditions('ghost')).find((c) => c.type === 'AbleToScale' && c.status === 'False'), 20_000, 250);
    expect(able).toMatchObject({ reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: deployments.apps "ghost" not found` });
    const ev = await eventually(async () => (await eventsOf('ghost')).find((x) => x.reason === 'FailedGetScale'), 20_000, 250);
    expect(ev).toMatchObject({ type: 'Warning', message: 'deployments.apps "ghost" not found' });
    expect(await targets('ghost')).toBe('cpu: <unknown>/50%');
    expect(await replicasOf('bystander')).toBe(1);
    expect(await e.ok(['get', 'deploy', 'ghost', '--ignore-not-found'])).toBe('');
    // once the target exists the HPA picks it up
    await e.ok(['apply', '-f', '-'], deployment('ghost', 'trap "exit 0" TERM; while true; do sleep 1; done'));
    await eventually(async () => (await conditions('ghost')).find((c) => c.type === 'AbleToScale')?.reason !== 'FailedGetScale', 30_000, 250);
  }, 90_000);

  it('refuses garbage HPA specs with 422 and field causes', async () => {
    const body = (spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bad' }, spec });
    const r = await api(e, 'POST', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', {
      body: body({
        scaleTargetRef: { kind: 'Deployment' },
        minReplicas: 5,
        maxReplicas: 2,
        metrics: [{ type: 'Bogus' }, { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }],
        behavior: { scaleUp: { selectPolicy: 'Sometimes', policies: [{ type: 'Pods', value: 0, periodSeconds: 4000 }] } },
      }),
    });
    expect(r.status).toBe(422);
    const status = r.json() as { reason: string; details: { causes: Array<{ field: string; reason: string }> } };
    expect(status.reason).toBe('Invalid');
    const fields = status.details.causes.map((c) => c.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'spec.scaleTargetRef.name',
        'spec.maxReplicas',
        'spec.metrics[0].type',
        'spec.metrics[1].resource.target.averageUtilization',
        'spec.behavior.scaleUp.selectPolicy',
        'spec.behavior.scaleUp.policies[0].value',
        'spec.behavior.scaleUp.policies[0].periodSeconds',
      ]),
    );
    const k = await e.k(['apply', '-f', '-'], body({ scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 0 }));
    expect(k.code).not.toBe(0);
    expect(k.stderr).toMatch(/spec\.maxReplicas: Invalid value: 0: must be greater than 0/);
    expect(await e.ok(['get', 'hpa', 'bad', '--ignore-not-found'])).toBe('');
  });

  it('scales on the Pods metric requests_per_second from PodTraffic, served at custom.metrics.k8s.io', async () => {
    await e.ok(['apply', '-f', '-'], deployment('web', 'trap "exit 0" TERM; while true; do sleep 1; done'));
    await e.ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
    traffic.rates.set('web', 30);
    const custom = await e.ok(['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/requests_per_second?labelSelector=app%3Dweb']);
    const list = JSON.parse(custom) as { kind: string; items: Array<{ metricName: string; value: string; describedObject: { kind: string } }> };
    expect(list.kind).toBe('MetricValueList');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ metricName: 'requests_per_second', value: '30', describedObject: { kind: 'Pod' } });
    const unknown = await e.k(['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/bogus_metric']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/NotFound|not found/i);

    await e.ok(['apply', '-f', '-'], hpa('web', 'web', [{ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } }], { downWindow: 2 }));
    await eventually(async () => (await replicasOf('web')) === 3, 30_000, 250);
    const up = (await eventsOf('web')).find((ev) => ev.reason === 'SuccessfulRescale');
    expect(up?.message).toBe('New size: 3; reason: pods metric requests_per_second above target');
    await eventually(async () => (await readyPods('web')) === 3, 60_000, 250);
    await eventually(async () => (await targets('web')) === '10/10', 20_000, 250);

    traffic.rates.set('web', 0);
    await eventually(async () => (await replicasOf('web')) === 1, 30_000, 250);
    expect(await targets('web')).toMatch(/^0\/10$|^10\/10$/);
  }, 120_000);
});
