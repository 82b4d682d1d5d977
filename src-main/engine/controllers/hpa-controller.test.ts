/**
 * The HorizontalPodAutoscaler controller on a real ObjectService with a fake clock, fake pod metrics and fake
 * request rates: what it writes to the target's scale, the HPA's status and conditions, and its events, sync
 * after sync. The expectations follow kube-controller-manager (pkg/controller/podautoscaler/horizontal.go):
 * reconcileAutoscaler, computeReplicasForMetrics, normalizeDesiredReplicas[WithBehaviors] and
 * calculateScale{Up,Down}Limit*; the pure arithmetic has its own tests (hpa-normalize, hpa-replica-calculator).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectService } from '../api/object-service';
import type { PodTraffic } from '../metrics/pod-traffic';
import type { PodMetricsSource, PodUsage } from '../metrics/stats-collector';
import { deepCopy, type KubeObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { HorizontalPodAutoscalerController } from './hpa-controller';
import { formatTime } from './object-source';
import { closeTestService, FakeClock, newTestService, settle, typeOf } from './test-harness';

const SYNC_MS = 15_000;
const MI = 1024 * 1024;

interface Usage {
  cpu: number;
  memory: number;
}

/** Usage per pod name; pods without an entry have no metrics. */
class FakeMetrics implements PodMetricsSource {
  readonly usage = new Map<string, Usage>();
  constructor(
    private readonly service: ObjectService,
    private readonly clock: FakeClock,
  ) {}
  podUsage(namespace: string, name: string): PodUsage | undefined {
    const u = this.usage.get(name);
    const pod = this.service.store.get('pods', namespace, name);
    if (!u || !pod) return undefined;
    return { namespace, name, uid: pod.metadata.uid ?? '', timestampMs: this.clock.now(), windowMs: 15_000, cpuCores: u.cpu, memoryBytes: u.memory, containers: [{ name: 'app', cpuCores: u.cpu, memoryBytes: u.memory }] };
  }
  pods(): PodUsage[] {
    return [];
  }
  nodeUsage(): undefined {
    return undefined;
  }
}

/** Request rates per pod name; pods without an entry are unknown to the load balancer. */
class FakeTraffic implements PodTraffic {
  readonly rates = new Map<string, number>();
  requestRate(_namespace: string, pod: string): number | undefined {
    return this.rates.get(pod);
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

interface HpaStatus {
  currentReplicas?: number;
  desiredReplicas?: number;
  lastScaleTime?: string;
  conditions?: Condition[];
  currentMetrics?: Array<Record<string, unknown>>;
}

const cpu = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });
const memoryUtilization = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization } } });
const memoryValue = (averageValue: string) => ({ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue } } });
const rps = (averageValue: string, name = 'requests_per_second') => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue } } });

describe('HorizontalPodAutoscalerController', () => {
  let service: ObjectService;
  let clock: FakeClock;
  let metrics: FakeMetrics;
  let traffic: FakeTraffic;
  let controller: HorizontalPodAutoscalerController;
  let deployments: ResourceType;
  let pods: ResourceType;
  let hpas: ResourceType;
  let events: ResourceType;

  const start = (downscaleStabilizationMs?: number): void => {
    controller = new HorizontalPodAutoscalerController(service, { clock, metrics, traffic, syncMs: SYNC_MS, downscaleStabilizationMs });
    controller.start();
  };

  beforeEach(() => {
    service = newTestService();
    clock = new FakeClock();
    metrics = new FakeMetrics(service, clock);
    traffic = new FakeTraffic();
    deployments = typeOf(service, 'deployments.apps');
    pods = typeOf(service, 'pods');
    hpas = typeOf(service, 'horizontalpodautoscalers.autoscaling');
    events = typeOf(service, 'events');
  });
  afterEach(() => {
    controller?.stop();
    closeTestService(service);
  });

  const replicasOf = (name: string): number => (service.get(deployments, 'default', name).spec as { replicas: number }).replicas;
  const statusOf = (name: string): HpaStatus => (service.get(hpas, 'default', name).status as HpaStatus | undefined) ?? {};
  const condition = (name: string, type: string): Condition | undefined => statusOf(name).conditions?.find((c) => c.type === type);
  const eventsOf = (name: string): Array<{ type: string; reason: string; message: string }> =>
    service.list(events, 'default').items.filter((e) => (e.involvedObject as { name: string }).name === name) as unknown as Array<{ type: string; reason: string; message: string }>;
  const rescales = (name: string): string[] => eventsOf(name).filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message);

  function createDeployment(name: string, replicas: number): void {
    service.create(deployments, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'i' }] } },
      },
    });
  }

  /**
   * Stand in for the ReplicaSet controller and the kubelet: the Deployment's pods `<name>-<i>` exist, each
   * Running and Ready since long before (past the CPU initialization period), requesting 500m CPU and 100Mi.
   */
  function syncPods(name: string): void {
    const want = replicasOf(name);
    const have = service.list(pods, 'default').items.filter((p) => p.metadata.labels?.app === name);
    for (const p of have) {
      const i = Number((p.metadata.name ?? '').split('-').pop());
      if (i >= want) service.delete(pods, 'default', p.metadata.name ?? '', { gracePeriodSeconds: 0 });
    }
    const longAgo = formatTime(clock.now() - 10 * 60_000);
    for (let i = 0; i < want; i++) {
      const podName = `${name}-${i}`;
      if (service.tryGet(pods, 'default', podName)) continue;
      service.create(pods, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'i', resources: { requests: { cpu: '500m', memory: '100Mi' } } }] },
      });
      const cur = deepCopy(service.get(pods, 'default', podName));
      cur.status = { phase: 'Running', startTime: longAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: longAgo }] };
      service.update(pods, 'default', podName, cur, { subresource: 'status' });
    }
  }

  /** Every current pod of the app uses this much (cpu cores, memory bytes). */
  function setUsage(name: string, u: Partial<Usage>): void {
    for (let i = 0; i < replicasOf(name); i++) metrics.usage.set(`${name}-${i}`, { cpu: u.cpu ?? 0, memory: u.memory ?? 0 });
  }

  function setRate(name: string, perPod: number): void {
    for (let i = 0; i < replicasOf(name); i++) traffic.rates.set(`${name}-${i}`, perPod);
  }

  function createHpa(name: string, spec: Record<string, unknown>): KubeObject {
    return service.create(hpas, 'default', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 10, ...spec },
    });
  }

  /** Let the controller act on what is queued, then bring the pods in line with the scale it wrote. */
  async function run(name: string): Promise<void> {
    await settle([controller], 5);
    if (service.tryGet(deployments, 'default', name)) syncPods(name);
  }

  /** The next periodic sync (the resync timer fires after SYNC_MS). */
  async function nextSync(name: string, ms = SYNC_MS): Promise<void> {
    clock.advance(ms);
    await run(name);
  }

  it('scales on CPU utilization: replicas, status, conditions and a SuccessfulRescale event', async () => {
    start();
    createDeployment('web', 2);
    syncPods('web');
    setUsage('web', { cpu: 0.45 }); // 90% of a 500m request
    createHpa('web', { metrics: [cpu(30)] });
    await run('web');
    // ceil(2 × 90 / 30) = 6, within max(2 × 2, 4) = 4 without behavior: the scale-up limit holds it to 4
    expect(replicasOf('web')).toBe(4);
    expect(rescales('web')).toEqual(['New size: 4; reason: cpu resource utilization (percentage of request) above target']);
    const s = statusOf('web');
    expect(s).toMatchObject({ currentReplicas: 2, desiredReplicas: 4, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '450m' } } }] });
    expect(s.lastScaleTime).toBe(formatTime(clock.now()));
    expect(condition('web', 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4' });
    expect(condition('web', 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    expect(condition('web', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });

    // next sync: the 2 new pods have no metrics yet and count as using nothing on a scale-up:
    // 2 × 450m over 4 × 500m requested = 45% → ceil(4 × 45 / 30) = 6
    await nextSync('web');
    expect(replicasOf('web')).toBe(6);
    expect(statusOf('web').currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '450m' } } }]);
    setUsage('web', { cpu: 0.16 }); // 32%: within the 10% tolerance of 30%
    await nextSync('web');
    expect(replicasOf('web')).toBe(6);
    expect(statusOf('web')).toMatchObject({ currentReplicas: 6, desiredReplicas: 6 });
    expect(condition('web', 'AbleToScale')?.reason).toBe('ReadyForNewScale');
  });

  describe('behavior policies', () => {
    it('a Pods policy adds at most value pods per periodSeconds, counting the scale-ups within the period', async () => {
      start();
      createDeployment('web', 2);
      syncPods('web');
      setUsage('web', { cpu: 0.5 });
      createHpa('web', { metrics: [cpu(10)], behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } } });
      await run('web');
      expect(replicasOf('web')).toBe(4);
      expect(condition('web', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
      setUsage('web', { cpu: 0.5 });
      // 15 s and 45 s later the 2 pods added at t0 still count against the 60 s period
      await nextSync('web');
      expect(replicasOf('web')).toBe(4);
      await nextSync('web', 30_000);
      expect(replicasOf('web')).toBe(4);
      // 61 s after the first scale-up the period starts at 4: +2
      await nextSync('web', 16_000);
      expect(replicasOf('web')).toBe(6);
      expect(rescales('web')).toEqual(['New size: 4; reason: cpu resource utilization (percentage of request) above target', 'New size: 6; reason: cpu resource utilization (percentage of request) above target']);
    });

    it('a Percent policy grows by ceil(periodStart × (1 + value/100)) and shrinks by trunc(periodStart × (1 − value/100))', async () => {
      start();
      createDeployment('web', 3);
      syncPods('web');
      setUsage('web', { cpu: 0.5 });
      createHpa('web', {
        metrics: [cpu(10)],
        behavior: { scaleUp: { policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }] }, scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }] } },
      });
      await run('web');
      expect(replicasOf('web')).toBe(5); // ceil(3 × 1.5) = 5, not 4
      setUsage('web', { cpu: 0.5 });
      await nextSync('web', 16_000);
      expect(replicasOf('web')).toBe(8); // ceil(5 × 1.5)
      setUsage('web', { cpu: 0.01 }); // 2%: wants 2
      await nextSync('web', 16_000);
      expect(replicasOf('web')).toBe(4); // trunc(8 × 0.5)
      expect(condition('web', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' });
      await nextSync('web', 16_000);
      expect(replicasOf('web')).toBe(2); // trunc(4 × 0.5); 1 wanted
      expect(condition('web', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleDownLimit' });
      await nextSync('web', 16_000);
      expect(replicasOf('web')).toBe(1);
      expect(condition('web', 'ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange' });
    });

    const scaleDownWith = async (selectPolicy: 'Max' | 'Min' | 'Disabled'): Promise<void> => {
      createDeployment('web', 10);
      syncPods('web');
      setUsage('web', { cpu: 0.01 }); // 2% against 50%: wants 1
      createHpa('web', {
        metrics: [cpu(50)],
        maxReplicas: 20,
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: 0,
            selectPolicy,
            policies: [
              { type: 'Pods', value: 1, periodSeconds: 60 },
              { type: 'Percent', value: 50, periodSeconds: 60 },
            ],
          },
        },
      });
      await run('web');
    };

    it('selectPolicy Max takes the policy allowing the biggest change', async () => {
      start();
      await scaleDownWith('Max');
      expect(replicasOf('web')).toBe(5); // Percent: 10 → 5 beats Pods: 10 → 9
      expect(rescales('web')).toEqual(['New size: 5; reason: All metrics below target']);
    });

    it('selectPolicy Min takes the policy allowing the smallest change', async () => {
      start();
      await scaleDownWith('Min');
      expect(replicasOf('web')).toBe(9);
      // within the 60 s period the scale-down counts: the period still starts at 10, so Pods allows 9 again
      setUsage('web', { cpu: 0.01 });
      await nextSync('web');
      expect(replicasOf('web')).toBe(9);
      await nextSync('web', 46_000);
      expect(replicasOf('web')).toBe(8);
    });

    it('selectPolicy Disabled never scales that way, and says why', async () => {
      start();
      await scaleDownWith('Disabled');
      expect(replicasOf('web')).toBe(10);
      expect(rescales('web')).toEqual([]);
      expect(statusOf('web')).toMatchObject({ currentReplicas: 10, desiredReplicas: 10 });
      expect(condition('web', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleDownLimit' });
      // the other direction still works: 100% vs 50% wants 20, the default scale-up policies allow 2 × 10
      setUsage('web', { cpu: 0.5 });
      await nextSync('web');
      expect(replicasOf('web')).toBe(20);
    });
  });

  describe('stabilization windows', () => {
    it('scale-down holds the highest recommendation of its window, then follows', async () => {
      start();
      createDeployment('web', 4);
      syncPods('web');
      setUsage('web', { cpu: 0.25 }); // 50% = target
      createHpa('web', { metrics: [cpu(50)], behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
      await run('web');
      expect(replicasOf('web')).toBe(4);
      setUsage('web', { cpu: 0.025 }); // 5%: wants 1
      await nextSync('web');
      expect(replicasOf('web')).toBe(4);
      expect(condition('web', 'AbleToScale')).toMatchObject({ status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
      expect(statusOf('web').desiredReplicas).toBe(4);
      await nextSync('web', 30_000); // 45 s after the last recommendation of 4
      expect(replicasOf('web')).toBe(4);
      await nextSync('web', 20_000); // 65 s: the 4 has left the window
      expect(replicasOf('web')).toBe(1);
      expect(rescales('web')).toEqual(['New size: 1; reason: All metrics below target']);
    });

    it('scale-up holds the lowest recommendation of its window', async () => {
      start();
      createDeployment('web', 2);
      syncPods('web');
      setUsage('web', { cpu: 0.25 });
      createHpa('web', { metrics: [cpu(50)], behavior: { scaleUp: { stabilizationWindowSeconds: 30 } } });
      await run('web');
      expect(replicasOf('web')).toBe(2);
      setUsage('web', { cpu: 0.5 }); // 100%: wants 4
      await nextSync('web');
      expect(replicasOf('web')).toBe(2);
      expect(condition('web', 'AbleToScale')).toMatchObject({ reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' });
      await nextSync('web', 16_000); // 31 s after the 2
      expect(replicasOf('web')).toBe(4);
    });

    it('without behavior, the controller-wide scale-down window applies', async () => {
      start(40_000);
      createDeployment('web', 3);
      syncPods('web');
      setUsage('web', { cpu: 0.25 });
      createHpa('web', { metrics: [cpu(50)] });
      await run('web');
      setUsage('web', { cpu: 0.01 });
      await nextSync('web');
      expect(replicasOf('web')).toBe(3);
      expect(condition('web', 'AbleToScale')?.reason).toBe('ScaleDownStabilized');
      await nextSync('web', 26_000); // 41 s
      expect(replicasOf('web')).toBe(1);
    });

    it('a new HPA takes the current replica count as its first recommendation: no scale-down before the window passed', async () => {
      // recordInitialRecommendation: an HPA seen for the first time (created, or after a restart of the
      // controller, whose memory is gone) must not shrink a Deployment before a full window of low readings.
      start(60_000);
      createDeployment('web', 4);
      syncPods('web');
      setUsage('web', { cpu: 0.01 });
      createHpa('web', { metrics: [cpu(50)] });
      await run('web');
      expect(replicasOf('web')).toBe(4);
      expect(condition('web', 'AbleToScale')?.reason).toBe('ScaleDownStabilized');
      await nextSync('web', 61_000);
      expect(replicasOf('web')).toBe(1);

      // a restarted controller starts without memory, and holds again
      controller.stop();
      const spec = deepCopy(service.get(deployments, 'default', 'web'));
      (spec.spec as { replicas: number }).replicas = 4;
      service.update(deployments, 'default', 'web', spec);
      syncPods('web');
      setUsage('web', { cpu: 0.01 });
      start(60_000);
      await run('web');
      expect(replicasOf('web')).toBe(4);
    });
  });

  describe('memory', () => {
    it('scales on memory utilization of the requests, reporting bytes', async () => {
      start();
      createDeployment('web', 2);
      syncPods('web');
      setUsage('web', { memory: 90 * MI }); // 90% of 100Mi
      createHpa('web', { metrics: [memoryUtilization(60)], behavior: { scaleUp: { policies: [{ type: 'Pods', value: 10, periodSeconds: 15 }] } } });
      await run('web');
      expect(replicasOf('web')).toBe(3); // ceil(2 × 90 / 60)
      expect(statusOf('web').currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'memory', current: { averageUtilization: 90, averageValue: String(90 * MI) } } }]);
      expect(rescales('web')).toEqual(['New size: 3; reason: memory resource utilization (percentage of request) above target']);
    });

    it('scales on a memory averageValue target', async () => {
      start();
      createDeployment('web', 2);
      syncPods('web');
      setUsage('web', { memory: 120 * MI });
      createHpa('web', { metrics: [memoryValue('50Mi')], behavior: { scaleUp: { policies: [{ type: 'Pods', value: 10, periodSeconds: 15 }] } } });
      await run('web');
      expect(replicasOf('web')).toBe(5); // ceil(2 × 120 / 50)
      expect(statusOf('web').currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'memory', current: { averageValue: String(120 * MI) } } }]);
      expect(rescales('web')).toEqual(['New size: 5; reason: memory resource above target']);
      expect(condition('web', 'ScalingActive')?.message).toBe('the HPA was able to successfully calculate a replica count from memory resource');
    });
  });

  it('with several metrics, the highest proposal wins and every metric is reported', async () => {
    start();
    createDeployment('web', 2);
    syncPods('web');
    setUsage('web', { cpu: 0.3, memory: 50 * MI }); // cpu 60% of 500m vs 40% → 3; memory 50% vs 50% → 2
    setRate('web', 12); // 12 rps vs 5 → ceil(2 × 2.4) = 5
    createHpa('web', { metrics: [cpu(40), rps('5'), memoryUtilization(50)], behavior: { scaleUp: { policies: [{ type: 'Pods', value: 10, periodSeconds: 15 }] } } });
    await run('web');
    expect(replicasOf('web')).toBe(5);
    expect(rescales('web')).toEqual(['New size: 5; reason: pods metric requests_per_second above target']);
    expect(condition('web', 'ScalingActive')?.message).toBe('the HPA was able to successfully calculate a replica count from pods metric requests_per_second');
    expect(statusOf('web').currentMetrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 60, averageValue: '300m' } } },
      { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, current: { averageValue: '12' } } },
      { type: 'Resource', resource: { name: 'memory', current: { averageUtilization: 50, averageValue: String(50 * MI) } } },
    ]);
    // the traffic spreads over 5 pods (4.8 rps each: within tolerance), CPU still wants 5 × 60/40 → 8
    setUsage('web', { cpu: 0.3, memory: 50 * MI });
    setRate('web', 4.8);
    await nextSync('web');
    expect(replicasOf('web')).toBe(8);
    expect(rescales('web').at(-1)).toBe('New size: 8; reason: cpu resource utilization (percentage of request) above target');
  });

  describe('invalid metrics and targets', () => {
    it('a Pods metric the engine does not serve: ScalingActive False, a warning, nothing scaled', async () => {
      start();
      createDeployment('web', 2);
      syncPods('web');
      setRate('web', 100);
      createHpa('web', { metrics: [rps('5', 'queue_depth')] });
      await run('web');
      expect(replicasOf('web')).toBe(2);
      const active = condition('web', 'ScalingActive');
      expect(active).toMatchObject({ status: 'False', reason: 'FailedGetPodsMetric' });
      expect(active?.message).toMatch(/^the HPA was unable to compute the replica count: failed to get pods metric value: unable to get metric queue_depth: /);
      const reasons = eventsOf('web').map((e) => [e.type, e.reason]);
      expect(reasons).toEqual(expect.arrayContaining([['Warning', 'FailedGetPodsMetric'], ['Warning', 'FailedComputeMetricsReplicas']]));
      expect(eventsOf('web').find((e) => e.reason === 'FailedComputeMetricsReplicas')?.message).toMatch(/^invalid metrics \(1 invalid out of 1\), first error is: failed to get pods metric value: /);
      expect(statusOf('web')).toMatchObject({ currentReplicas: 2, currentMetrics: [{ type: '' }] });
    });

    it('one invalid metric does not block a scale-up the valid ones ask for, but blocks a scale-down', async () => {
      start();
      createDeployment('web', 2);
      syncPods('web');
      setUsage('web', { cpu: 0.5 }); // 100% vs 50% → 4
      createHpa('web', { metrics: [rps('5', 'queue_depth'), cpu(50)] });
      await run('web');
      expect(replicasOf('web')).toBe(4);
      expect(condition('web', 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
      expect(statusOf('web').currentMetrics?.[0]).toEqual({ type: '' });

      setUsage('web', { cpu: 0.05 }); // 10%: the valid metric alone would scale down
      await nextSync('web', 400_000);
      expect(replicasOf('web')).toBe(4);
      expect(condition('web', 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetPodsMetric' });
      expect(eventsOf('web').find((e) => e.reason === 'FailedComputeMetricsReplicas')?.message).toMatch(/^invalid metrics \(1 invalid out of 2\)/);
    });

    it('pods without metrics at all: FailedGetResourceMetric, nothing scaled', async () => {
      start();
      createDeployment('web', 3);
      syncPods('web');
      createHpa('web', { metrics: [cpu(50)] });
      await run('web');
      expect(replicasOf('web')).toBe(3);
      expect(condition('web', 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
      expect(condition('web', 'ScalingActive')?.message).toContain('failed to get cpu utilization: unable to get metrics for resource cpu');
    });

    it('a missing target: AbleToScale False FailedGetScale with an event; found once it exists', async () => {
      start();
      createHpa('web', { metrics: [cpu(50)] });
      await run('web');
      expect(condition('web', 'AbleToScale')).toEqual(expect.objectContaining({ status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: deployments.apps "web" not found` }));
      expect(eventsOf('web').map((e) => [e.type, e.reason, e.message])).toEqual([['Warning', 'FailedGetScale', 'deployments.apps "web" not found']]);
      expect(statusOf('web').currentReplicas).toBeUndefined();

      createDeployment('web', 2);
      syncPods('web');
      setUsage('web', { cpu: 0.25 });
      await nextSync('web');
      expect(condition('web', 'AbleToScale')).toMatchObject({ status: 'True' });
      expect(condition('web', 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
      expect(statusOf('web')).toMatchObject({ currentReplicas: 2, desiredReplicas: 2 });
    });

    it('a kind without a scale subresource: no matches for kind', async () => {
      start();
      service.create(hpas, 'default', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'odd' },
        spec: { scaleTargetRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'odd' }, maxReplicas: 3, metrics: [cpu(50)] },
      });
      await settle([controller], 5);
      expect(condition('odd', 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: no matches for kind "ConfigMap" in group ""` });
    });

    it('a target scaled to zero disables scaling; one above maxReplicas is brought down to it', async () => {
      start();
      createDeployment('web', 0);
      createHpa('web', { metrics: [cpu(50)], maxReplicas: 3 });
      await run('web');
      expect(replicasOf('web')).toBe(0);
      expect(condition('web', 'ScalingActive')).toMatchObject({ status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });

      const d = deepCopy(service.get(deployments, 'default', 'web'));
      (d.spec as { replicas: number }).replicas = 6;
      service.update(deployments, 'default', 'web', d);
      syncPods('web');
      await nextSync('web');
      expect(replicasOf('web')).toBe(3);
      expect(rescales('web')).toEqual(['New size: 3; reason: Current number of replicas above Spec.MaxReplicas']);
    });
  });
});
