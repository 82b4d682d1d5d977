/**
 * The numbers the deployment controller reasons with (deployment_util.go), as plain facts so the rollout
 * arithmetic is testable in tables: maxSurge/maxUnavailable fenceposts, replica sums, saturation, and how
 * many replicas the new ReplicaSet may have.
 */
import type { KubeObject } from '../object';
import { asObject, asString, getNumber, getObject } from '../registry/json-access';
import { desiredReplicasAnnotation, maxReplicasAnnotation } from './deployment-annotations';
import { parseTime } from './object-source';

export type IntOrString = number | string;

export interface DeploymentFacts {
  /** spec.replicas */
  replicas: number;
  strategy: 'RollingUpdate' | 'Recreate';
  maxSurge?: IntOrString;
  maxUnavailable?: IntOrString;
  /** status.replicas, the fallback size for proportions */
  statusReplicas: number;
}

export interface ReplicaSetFacts {
  name: string;
  /** spec.replicas */
  replicas: number;
  statusReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** creationTimestamp in ms (0 when unknown) */
  created: number;
  /** the desired-replicas and max-replicas annotations */
  desiredReplicas?: number;
  maxReplicas?: number;
}

/** A change of one ReplicaSet's size. `force` also refreshes its replicas annotations when the size is kept. */
export interface ScaleDecision {
  name: string;
  replicas: number;
  force?: boolean;
}

function intOrString(v: unknown): IntOrString | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

export function deploymentFacts(d: KubeObject): DeploymentFacts {
  const strategy = getObject(d, 'spec', 'strategy') ?? {};
  const rolling = asObject(strategy.rollingUpdate) ?? {};
  return {
    replicas: getNumber(d, 'spec', 'replicas') ?? 1,
    strategy: asString(strategy.type) === 'Recreate' ? 'Recreate' : 'RollingUpdate',
    maxSurge: intOrString(rolling.maxSurge),
    maxUnavailable: intOrString(rolling.maxUnavailable),
    statusReplicas: getNumber(d, 'status', 'replicas') ?? 0,
  };
}

export function replicaSetFacts(rs: KubeObject): ReplicaSetFacts {
  return {
    name: rs.metadata.name ?? '',
    replicas: getNumber(rs, 'spec', 'replicas') ?? 1,
    statusReplicas: getNumber(rs, 'status', 'replicas') ?? 0,
    readyReplicas: getNumber(rs, 'status', 'readyReplicas') ?? 0,
    availableReplicas: getNumber(rs, 'status', 'availableReplicas') ?? 0,
    created: parseTime(rs.metadata.creationTimestamp) ?? 0,
    desiredReplicas: desiredReplicasAnnotation(rs),
    maxReplicas: maxReplicasAnnotation(rs),
  };
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down. Anything else is 0
 * (validation rejects it before it gets here).
 */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value !== 'string') return 0;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return 0;
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/** ResolveFenceposts: surge rounds up, unavailable down; when both come to 0, unavailable is 1. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: DeploymentFacts): number {
  if (d.strategy !== 'RollingUpdate') return 0;
  return resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).surge;
}

export function maxUnavailable(d: DeploymentFacts): number {
  if (d.strategy !== 'RollingUpdate' || d.replicas === 0) return 0;
  return Math.min(d.replicas, resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).unavailable);
}

/** Sum of spec.replicas. */
export function replicaCount(rss: readonly (ReplicaSetFacts | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.replicas ?? 0), 0);
}

/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export function actualReplicaCount(rss: readonly (ReplicaSetFacts | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.statusReplicas ?? 0), 0);
}

export function readyReplicaCount(rss: readonly (ReplicaSetFacts | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.readyReplicas ?? 0), 0);
}

export function availableReplicaCount(rss: readonly (ReplicaSetFacts | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.availableReplicas ?? 0), 0);
}

/** Those with spec.replicas > 0. */
export function activeReplicaSets<T extends ReplicaSetFacts>(rss: readonly (T | undefined)[]): T[] {
  return rss.filter((rs): rs is T => rs !== undefined && rs.replicas > 0);
}

/** Oldest first, by creation time then name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSetFacts, b: ReplicaSetFacts): number {
  if (a.created !== b.created) return a.created - b.created;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Larger first; among equals older first (ReplicaSetsBySizeOlder). */
export function bySizeOlder(a: ReplicaSetFacts, b: ReplicaSetFacts): number {
  return a.replicas !== b.replicas ? b.replicas - a.replicas : byCreation(a, b);
}

/** Larger first; among equals newer first (ReplicaSetsBySizeNewer). */
export function bySizeNewer(a: ReplicaSetFacts, b: ReplicaSetFacts): number {
  return a.replicas !== b.replicas ? b.replicas - a.replicas : byCreation(b, a);
}

/** The new ReplicaSet runs everything the Deployment wants, available, and says so in its annotation. */
export function isSaturated(d: DeploymentFacts, rs: ReplicaSetFacts | undefined): boolean {
  if (!rs || rs.desiredReplicas === undefined) return false;
  return rs.replicas === d.replicas && rs.desiredReplicas === d.replicas && rs.availableReplicas === d.replicas;
}

/**
 * The only active ReplicaSet, or when none is active the newest one (the new one if it exists);
 * undefined when several are active.
 */
export function findActiveOrLatest(newRS: ReplicaSetFacts | undefined, oldRSs: readonly ReplicaSetFacts[]): ReplicaSetFacts | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/**
 * Pods the ReplicaSets may have now: each one's spec.replicas, or its status.replicas while it has not yet
 * deleted the pods of a scale-down. (Kubernetes counts specs only; counting the pods still there too keeps
 * the surge bound true of pods, not just of specs, when the ReplicaSet controller is a step behind.)
 */
export function podCeiling(rss: readonly (ReplicaSetFacts | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? Math.max(rs.replicas, rs.statusReplicas) : 0), 0);
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now without passing replicas + maxSurge pods. */
export function newRSNewReplicas(d: DeploymentFacts, allRSs: readonly (ReplicaSetFacts | undefined)[], newRS: ReplicaSetFacts): number {
  if (d.strategy === 'Recreate') return d.replicas;
  const maxTotal = d.replicas + scaledValue(d.maxSurge ?? 0, d.replicas, true);
  const current = podCeiling(allRSs);
  if (current >= maxTotal) return newRS.replicas;
  const scaleUp = Math.min(maxTotal - current, d.replicas - newRS.replicas);
  return newRS.replicas + scaleUp;
}
