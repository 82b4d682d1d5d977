import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectService } from '../api/object-service';
import { EventRecorder } from './event-recorder';
import { closeTestService, FakeClock, newTestService, typeOf } from './test-harness';

describe('EventRecorder', () => {
  let service: ObjectService;
  const clock = new FakeClock();

  beforeEach(() => {
    service = newTestService();
  });
  afterEach(() => closeTestService(service));

  it('records a core/v1 Event about an object and counts repeats', () => {
    const deployments = typeOf(service, 'deployments.apps');
    const d = service.create(deployments, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const recorder = new EventRecorder(service, () => clock.now());
    recorder.record(d, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc12 from 0 to 3', 'deployment-controller');
    clock.advance(2000);
    recorder.record(d, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc12 from 0 to 3', 'deployment-controller');
    recorder.record(d, 'Warning', 'Other', 'different', 'deployment-controller');
    const events = service.list(typeOf(service, 'events'), 'default').items;
    expect(events).toHaveLength(2);
    const scaling = events.find((e) => e.reason === 'ScalingReplicaSet');
    expect(scaling).toMatchObject({
      involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web', uid: d.metadata.uid, apiVersion: 'apps/v1' },
      type: 'Normal',
      message: 'Scaled up replica set web-abc12 from 0 to 3',
      source: { component: 'deployment-controller' },
      count: 2,
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-01T00:00:02Z',
    });
    expect(scaling?.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
  });

  it('puts events about cluster-scoped objects in default, and never throws', () => {
    const recorder = new EventRecorder(service, () => clock.now());
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1', uid: 'u' } };
    recorder.record(pv, 'Warning', 'VolumeFailedDelete', 'boom', 'persistentvolume-controller', { host: 'node-1' });
    const [event] = service.list(typeOf(service, 'events'), 'default').items;
    expect(event).toMatchObject({ source: { component: 'persistentvolume-controller', host: 'node-1' }, reportingInstance: 'node-1' });
    expect(() => recorder.record({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'missing' } }, 'Normal', 'X', 'y', 'z')).not.toThrow();
  });
});
