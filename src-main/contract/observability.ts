import type { ClusterError } from './cluster';
import type { PodCondition } from './objects';
import type { ServicePort } from './rows';

/** One PodMetrics sample of a pod (all containers summed). */
export interface UsagePoint {
  /** When the metrics pipeline measured it (epoch ms; the sample's timestamp, else when it was read). */
  t: number;
  cpuMillicores: number;
  memoryBytes: number;
}

/** The recent usage of one pod, oldest first (a bounded ring kept by the desk). */
export interface PodUsageSeries {
  namespace: string;
  name: string;
  points: UsagePoint[];
}

/** What an `onPodMetrics` subscription delivers: the whole ring after every sample (it is small). */
export type PodMetricsEvent =
  | { type: 'samples'; intervalMs: number; pods: PodUsageSeries[] }
  /** The cluster serves no metrics.k8s.io API (404): the UI hides the charts and says why. */
  | { type: 'unavailable'; reason: string }
  | { type: 'error'; error: ClusterError };

/** One metric of an HPA: what it aims for and what it last saw, as kubectl describe prints them. */
export interface HpaMetricView {
  /** Resource, Pods, Object, External, ContainerResource */
  type: string;
  /** cpu, memory, requests_per_second, ... */
  name: string;
  target: string;
  current: string | null;
}

/** A scaling decision (a SuccessfulRescale event of the HPA). */
export interface ScalingDecision {
  time: string | null;
  message: string;
  count: number;
}

/** Everything the HPA panel shows. */
export interface HpaDetail {
  name: string;
  namespace: string;
  target: { apiVersion: string | null; kind: string; name: string };
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  lastScaleTime: string | null;
  metrics: HpaMetricView[];
  conditions: PodCondition[];
  /** Newest last. */
  scalingDecisions: ScalingDecision[];
}

export interface ServiceEndpointView {
  ip: string;
  ready: boolean;
  podName: string | null;
  nodeName: string | null;
  /** From custom.metrics.k8s.io requests_per_second of the pod; null when not reported. */
  requestsPerSecond: number | null;
}

/** Everything the Service panel shows. */
export interface ServiceDetail {
  name: string;
  namespace: string;
  type: string;
  clusterIP: string | null;
  ports: ServicePort[];
  endpoints: ServiceEndpointView[];
  /** Whether the cluster serves per-pod requests_per_second (custom.metrics.k8s.io), and why not. */
  requests: { available: boolean; reason: string | null };
}

/** What an `onPortForward` subscription delivers; disposing it stops the forward. */
export type PortForwardEvent =
  | {
      type: 'ready';
      /** http://127.0.0.1:<localPort>/ */
      url: string;
      localPort: number;
      /** The ready pod behind the service that connections go to, and its port. */
      pod: string;
      podPort: number;
    }
  | { type: 'error'; error: ClusterError }
  | { type: 'closed'; reason: string };
