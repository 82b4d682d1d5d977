/**
 * Requests that reached each pod through the engine's service load balancer (engine/lb). The load
 * balancer implements it; the HorizontalPodAutoscaler controller (Pods metric `requests_per_second`)
 * and `custom.metrics.k8s.io` read it. Kept here so neither side imports the other.
 */
export interface PodTraffic {
  /**
   * Requests per second that reached this pod over the last `windowMs` (default 30 s): 0 for a pod the
   * load balancer knows as an endpoint but that got no request; undefined for a pod it does not know.
   */
  requestRate(namespace: string, pod: string, windowMs?: number): number | undefined;
  /** Totals since the pod became an endpoint (for the console's per-endpoint view). */
  totals(namespace: string, pod: string): { requests: number; bytesIn: number; bytesOut: number } | undefined;
}

/** For an engine without a load balancer (and tests): knows no pod. */
export const NO_POD_TRAFFIC: PodTraffic = {
  requestRate: () => undefined,
  totals: () => undefined,
};
