import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { app } from './observed-fixtures';
import { PodProbes } from './pod-probes';
import type { ProbeWorker } from './probe-worker';

type Opts = ConstructorParameters<typeof ProbeWorker>[0];

describe('PodProbes', () => {
  function setup(): { probes: PodProbes; workers: Array<Opts & { running: boolean }>; changes: number[]; unhealthy: string[] } {
    const workers: Array<Opts & { running: boolean }> = [];
    const changes: number[] = [];
    const unhealthy: string[] = [];
    const probes = new PodProbes({
      docker: {} as Docker,
      onChange: () => changes.push(1),
      onUnhealthy: (c, m) => unhealthy.push(`${c}: ${m}`),
      factory: (o) => {
        const w = { ...o, running: false };
        workers.push(w);
        return {
          start: () => {
            w.running = true;
          },
          stop: () => {
            w.running = false;
          },
        };
      },
    });
    return { probes, workers, changes, unhealthy };
  }

  it('gates liveness and readiness behind the startup probe', () => {
    const { probes, workers, changes } = setup();
    const c = app('c', { id: 'x' });
    probes.update([{ observed: c, spec: { name: 'c', startupProbe: {}, readinessProbe: {}, livenessProbe: {} } }], '10.0.0.2');
    expect(workers.map((w) => w.kind)).toEqual(['startup']);
    expect(workers[0].target).toEqual({ podIP: '10.0.0.2', containerId: 'x' });
    expect(probes.view('x')).toEqual({ ready: false, started: false });
    workers[0].onResult(true, 'ok');
    expect(workers.map((w) => w.kind)).toEqual(['startup', 'readiness', 'liveness']);
    expect(probes.view('x')).toEqual({ ready: false, started: true });
    workers[1].onResult(true, 'ok');
    expect(probes.view('x')?.ready).toBe(true);
    expect(changes.length).toBe(2);
  });

  it('marks liveness and startup failures, reports Unhealthy, and drops workers of instances that stopped', () => {
    const { probes, workers, unhealthy } = setup();
    probes.update([{ observed: app('c', { id: 'x' }), spec: { name: 'c', livenessProbe: {} } }], 'ip');
    workers[0].onProbe?.(false, 'Liveness probe failed: boom');
    workers[0].onResult(false, 'Liveness probe failed: boom');
    expect([...probes.livenessFailed()]).toEqual(['x']);
    expect(unhealthy).toEqual(['c: Liveness probe failed: boom']);
    probes.update([{ observed: app('c', { id: 'y' }), spec: { name: 'c', livenessProbe: {} } }], 'ip');
    expect(workers[0].running).toBe(false);
    expect(workers[1].running).toBe(true);
    expect([...probes.livenessFailed()]).toEqual([]);
    probes.stop();
    expect(workers[1].running).toBe(false);
  });

  it('runs nothing for containers without probes', () => {
    const { probes, workers } = setup();
    probes.update([{ observed: app('c', { id: 'x' }), spec: { name: 'c' } }], 'ip');
    expect(workers).toEqual([]);
    expect(probes.view('x')).toEqual({});
  });
});
