import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { PersistentVolumeController } from './persistent-volume-controller';
import { closeTestService, FakeClock, newTestService, settle, typeOf } from './test-harness';
import type { VolumeBackend } from './volume-backend';

class FakeBackend implements VolumeBackend {
  readonly volumes = new Map<string, Record<string, string>>();
  failCreate: string | undefined;

  create(name: string, labels: Record<string, string>): Promise<void> {
    if (this.failCreate) return Promise.reject(new Error(this.failCreate));
    if (!this.volumes.has(name)) this.volumes.set(name, { ...labels, 'dev.skiff.cluster': 'c1' });
    return Promise.resolve();
  }

  remove(name: string): Promise<void> {
    this.volumes.delete(name);
    return Promise.resolve();
  }

  exists(name: string): Promise<boolean> {
    return Promise.resolve(this.volumes.has(name));
  }
}

const claimBody = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
});

const staticVolume = (name: string, size: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], storageClassName: 'manual', hostPath: { path: `/data/${name}` }, persistentVolumeReclaimPolicy: 'Retain' },
});

describe('PersistentVolumeController', () => {
  let service: ObjectService;
  let backend: FakeBackend;
  let controller: PersistentVolumeController;
  let claims: ResourceType;
  let volumes: ResourceType;
  let classes: ResourceType;
  const clock = new FakeClock();

  const run = (): Promise<void> => settle([controller]);
  const claim = (name: string): KubeObject => service.get(claims, 'default', name);
  const events = (reason: string): string[] =>
    service
      .list(typeOf(service, 'events'), 'default')
      .items.filter((e) => e.reason === reason)
      .map((e) => String(e.message));

  beforeEach(() => {
    service = newTestService();
    backend = new FakeBackend();
    claims = typeOf(service, 'persistentvolumeclaims');
    volumes = typeOf(service, 'persistentvolumes');
    classes = typeOf(service, 'storageclasses.storage.k8s.io');
    controller = new PersistentVolumeController(service, backend, { clusterId: 'c1', clock, queue: { baseDelayMs: 1, maxDelayMs: 5 } });
    controller.start();
  });
  afterEach(() => {
    controller.stop();
    closeTestService(service);
  });

  it('creates the default StorageClass `standard` at start', () => {
    const sc = service.get(classes, '', 'standard');
    expect(sc.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(sc).toMatchObject({ provisioner: 'skiff.dev/docker-volume', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
  });

  it('provisions a Docker volume for a claim of the default class and binds both ways', async () => {
    const created = service.create(claims, 'default', claimBody('data'));
    await run();
    const uid = created.metadata.uid ?? '';
    const pv = service.get(volumes, '', `pvc-${uid}`);
    const dockerVolume = `skiff-c1-pvc-${uid}`;
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'skiff.dev/docker-volume', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pv.spec).toMatchObject({
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid },
      csi: { driver: 'skiff.dev/docker-volume', volumeHandle: dockerVolume },
    });
    expect((pv.status as { phase: string }).phase).toBe('Bound');
    expect(backend.volumes.get(dockerVolume)).toMatchObject({ 'dev.skiff.cluster': 'c1', 'dev.skiff.pvc-uid': uid });
    const c = claim('data');
    expect((c.spec as { volumeName: string }).volumeName).toBe(`pvc-${uid}`);
    expect(c.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
    expect(c.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.kubernetes.io/storage-provisioner': 'skiff.dev/docker-volume',
    });
    expect(events('ProvisioningSucceeded')).toEqual([`Successfully provisioned volume pvc-${uid} using skiff.dev/docker-volume`]);
  });

  it('reclaimPolicy Delete: deleting the claim releases, then deletes the volume and its Docker volume', async () => {
    const created = service.create(claims, 'default', claimBody('data'));
    await run();
    expect(backend.volumes.size).toBe(1);
    service.delete(claims, 'default', 'data');
    await run();
    expect(service.tryGet(volumes, '', `pvc-${created.metadata.uid ?? ''}`)).toBeUndefined();
    expect(backend.volumes.size).toBe(0);
  });

  it('reclaimPolicy Retain: the volume stays Released and the Docker volume is kept', async () => {
    service.create(classes, '', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'keep' }, provisioner: 'skiff.dev/docker-volume', reclaimPolicy: 'Retain', volumeBindingMode: 'Immediate' });
    const created = service.create(claims, 'default', claimBody('data', { storageClassName: 'keep' }));
    await run();
    service.delete(claims, 'default', 'data');
    await run();
    const pv = service.get(volumes, '', `pvc-${created.metadata.uid ?? ''}`);
    expect((pv.status as { phase: string }).phase).toBe('Released');
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'keep' });
    expect(backend.volumes.size).toBe(1);
  });

  it('binds a claim to the smallest fitting static volume of its class', async () => {
    service.create(volumes, '', staticVolume('big', '5Gi'));
    service.create(volumes, '', staticVolume('small', '2Gi'));
    service.create(volumes, '', staticVolume('tiny', '500Mi'));
    await run();
    expect((service.get(volumes, '', 'small').status as { phase: string }).phase).toBe('Available');
    service.create(claims, 'default', claimBody('data', { storageClassName: 'manual' }));
    await run();
    expect((claim('data').spec as { volumeName: string }).volumeName).toBe('small');
    expect(claim('data').status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], capacity: { storage: '2Gi' } });
    const small = service.get(volumes, '', 'small');
    expect(small.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect((small.status as { phase: string }).phase).toBe('Bound');
    expect(backend.volumes.size).toBe(0);
    // Retain on a static volume: released and kept.
    service.delete(claims, 'default', 'data');
    await run();
    expect((service.get(volumes, '', 'small').status as { phase: string }).phase).toBe('Released');
  });

  it('reports a failed provisioning and succeeds on retry', async () => {
    backend.failCreate = 'docker is not running';
    service.create(claims, 'default', claimBody('data'));
    await run();
    expect(events('ProvisioningFailed')).toEqual(['Failed to provision volume with StorageClass "standard": docker is not running']);
    expect((claim('data').status as { phase: string }).phase).toBe('Pending');
    backend.failCreate = undefined;
    clock.advance(10);
    await run();
    expect((claim('data').status as { phase: string }).phase).toBe('Bound');
  });

  it('WaitForFirstConsumer provisions once a pod uses the claim', async () => {
    service.create(classes, '', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'lazy' }, provisioner: 'skiff.dev/docker-volume', volumeBindingMode: 'WaitForFirstConsumer' });
    service.create(claims, 'default', claimBody('data', { storageClassName: 'lazy' }));
    await run();
    expect(events('WaitForFirstConsumer')).toHaveLength(1);
    expect(backend.volumes.size).toBe(0);
    service.create(typeOf(service, 'pods'), 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user' },
      spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
    });
    await run();
    expect((claim('data').status as { phase: string }).phase).toBe('Bound');
  });

  it('marks a bound claim Lost when its volume is deleted', async () => {
    const created = service.create(claims, 'default', claimBody('data'));
    await run();
    service.delete(volumes, '', `pvc-${created.metadata.uid ?? ''}`);
    await run();
    expect((claim('data').status as { phase: string }).phase).toBe('Lost');
    expect(events('ClaimLost')).toHaveLength(1);
  });
});
