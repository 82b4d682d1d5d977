import type { ClusterError } from './cluster';
import type { ResourceKind } from './kinds';
import type { RowKey, RowOf } from './rows';

/**
 * What an `onResources` subscription delivers: first a snapshot, then batched changes. After an error the
 * backend retries by itself and, once it recovers, sends a fresh snapshot that replaces everything.
 */
export type ResourceEventOf<K extends ResourceKind> =
  | { type: 'snapshot'; kind: K; rows: RowOf<K>[] }
  | { type: 'changes'; kind: K; added: RowOf<K>[]; modified: RowOf<K>[]; deleted: RowKey[] }
  | { type: 'error'; kind: K; error: ClusterError; retryInMs: number | null };

export type ResourceEvent = { [K in ResourceKind]: ResourceEventOf<K> }[ResourceKind];

/** One log line, tagged with where it came from (several pods and containers can be merged). */
export interface LogLine {
  pod: string;
  container: string;
  /** The RFC 3339 timestamp the runtime recorded, when `timestamps` was requested. */
  time: string | null;
  text: string;
}

/** The state of one pod/container stream inside a logs subscription. */
export interface LogStreamState {
  pod: string;
  container: string;
  state: 'streaming' | 'ended' | 'error';
  message: string | null;
}

export type LogEvent =
  | { type: 'lines'; lines: LogLine[] }
  /** The set of pod/container streams changed (a pod of the Deployment appeared, a stream ended). */
  | { type: 'streams'; streams: LogStreamState[] }
  /** Lines were discarded because the consumer fell behind (the buffer is bounded). */
  | { type: 'dropped'; count: number }
  | { type: 'error'; error: ClusterError }
  /** Nothing more will come (not following, or every stream ended). */
  | { type: 'end' };

export type ExecEvent =
  /** The session is open: use `sessionId` with exec.write / exec.resize. */
  | { type: 'started'; sessionId: string; container: string }
  | { type: 'output'; data: string }
  | { type: 'exit'; exitCode: number | null; message: string | null }
  | { type: 'error'; error: ClusterError };
