/** What a pod worker shares with the kubelet, and small helpers both the worker and the container starter use. */
import type { ObjectService } from '../api/object-service';
import type { EventSink } from '../controllers/event-recorder';
import type { Clock } from '../controllers/work-queue';
import type { KubeObject } from '../object';
import { asNumber, asObject } from '../registry/json-access';
import type { ResourceType } from '../registry/resource-type';
import type { PodDns } from './container-config';
import type { ImagePuller } from './image-puller';
import type { ProbeWorkerFactory } from './pod-probes';
import type { PodRuntime } from './pod-runtime';
import { initContainersOf, nameOf } from './pod-sync-plan';
import type { ProbeRunner } from './probe-worker';
import type { RestartBackoff } from './restart-backoff';
import type { DockerMount } from './volume-mounts';

/** What the kubelet needs of the volume manager (volume-manager.ts implements it). */
export interface PodVolumes {
  prepare(pod: KubeObject): Promise<void>;
  mountsFor(pod: KubeObject, container: Record<string, unknown>): DockerMount[];
  sandboxMounts?(pod: KubeObject): DockerMount[];
  cleanup(podUid: string): Promise<void>;
}

/** Everything a pod worker shares with the kubelet. */
export interface PodWorkerContext {
  service: ObjectService;
  types: { pods: ResourceType; configMaps: ResourceType; secrets: ResourceType; services: ResourceType };
  runtime: PodRuntime;
  images: ImagePuller;
  volumes: PodVolumes;
  recorder: EventSink;
  /** the node's name: the events' source host */
  nodeName: string;
  /** crash back-off, keyed `<podUid>/<container>/<specHash>` */
  backoff: RestartBackoff;
  clusterId: string;
  sandboxImage: string;
  hostIP(): string;
  allocatable(): Record<string, number>;
  dns?: PodDns;
  clock: Clock;
  probeFactory?: ProbeWorkerFactory;
  /** runs exec/httpGet/tcpSocket lifecycle hooks (probe-worker's defaultRunner) */
  hookRunner: ProbeRunner;
  /** sync this pod again after `ms` (0: soon) */
  requeue(uid: string, ms: number): void;
  /** the kubelet is stopping: leave Docker and the store alone */
  stopped(): boolean;
  /** resolves once nothing sends the pod at this IP new connections (KubeletOptions.drain) */
  drain?(ip: string): Promise<void>;
}

/** `name_namespace(uid)`, as the kubelet's format.Pod prints a pod in messages. */
export function podRef(pod: KubeObject): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}

/** spec.terminationGracePeriodSeconds, 30 by default. */
export function gracePeriodSeconds(pod: KubeObject): number {
  const g = asNumber(asObject(pod.spec)?.terminationGracePeriodSeconds);
  return g !== undefined && g >= 0 ? g : 30;
}

/** The event field path of a container: `spec.containers{c}` or `spec.initContainers{c}`. */
export function containerFieldPath(pod: KubeObject, container: string): string {
  const isInit = initContainersOf(pod).some((c) => nameOf(c) === container);
  return `spec.${isInit ? 'initContainers' : 'containers'}{${container}}`;
}
