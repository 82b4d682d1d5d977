/** Why a cluster (or one request to it) failed, classified so the UI can say something specific. */
export type ClusterErrorCode =
  /** Connection refused, DNS failure, host down: nothing answers at the server URL. */
  | 'unreachable'
  /** 401: the credentials are missing, invalid or expired. */
  | 'unauthorized'
  /** The client certificate is past its notAfter (our reading of it, or the server's TLS alert "certificate expired"). */
  | 'expired'
  /** 403: authenticated but not allowed. */
  | 'forbidden'
  /** The server's certificate was not trusted. */
  | 'tls'
  | 'timeout'
  | 'not-found'
  /** 409: the object changed since it was read (edit in place), or it already exists. */
  | 'conflict'
  /** 422 / 400: the server rejected the object. */
  | 'invalid'
  /** The kubeconfig entry itself is unusable (no cluster, bad certificate data, failing exec plugin). */
  | 'config'
  | 'error';

/** A failure against a cluster, as data. */
export interface ClusterError {
  code: ClusterErrorCode;
  /** For people: names the server, the status and the reason. */
  message: string;
  /** The server URL of the context, when known. */
  server: string | null;
  /** The HTTP status, when the server answered. */
  status: number | null;
  /** Field-level causes of a 422. */
  causes: { field: string; message: string }[];
}

/** Where a context stands: checked lazily when first used, rechecked on retry and on informer failures. */
export interface ContextStatus {
  state: 'unknown' | 'connecting' | 'connected' | 'error';
  /** Set when state is 'error'. */
  error: ClusterError | null;
  /** gitVersion from /version once connected. */
  serverVersion: string | null;
  /** When the status was last determined (RFC 3339). */
  checkedAt: string | null;
}

/** One kubeconfig context. */
export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  server: string | null;
  /** The context's default namespace (kubeconfig `namespace`, else "default"). */
  namespace: string;
  /** The context of the local engine this console manages (always listed first). */
  isLocal: boolean;
  status: ContextStatus;
}

/** All contexts, the local engine's first. */
export interface ContextList {
  contexts: ContextInfo[];
  /** The kubeconfig's current-context, if it names an existing context. */
  current: string | null;
  /** The files read ($KUBECONFIG entries, or ~/.kube/config). */
  sources: string[];
  /** Problems reading those files (a missing $KUBECONFIG entry is not one). */
  problems: string[];
}

/** The local engine as the console supervises it. */
export interface EngineStatus {
  /** 'disabled': --no-engine; 'managed': this process started it; 'attached': it was already running for the state dir. */
  mode: 'disabled' | 'managed' | 'attached';
  state: 'disabled' | 'starting' | 'running' | 'restarting' | 'crashed' | 'stopped';
  url: string | null;
  /** The kubeconfig context that points at it. */
  context: string | null;
  stateDir: string | null;
  pid: number | null;
  /** Restart attempts after crashes (and Restart now) since launch. */
  restarts: number;
  /** The last problem, for people ("exited with code 1: port in use; restarting in 2 s"). */
  message: string | null;
  /** Set from a crash of the engine until it runs again (through every restart attempt); null while healthy. */
  crash: EngineCrash | null;
}

/** An outage of the supervised engine: why it is down and when the supervisor tries again. */
export interface EngineCrash {
  /** Why the engine is down: the crash, then the failure of the latest restart attempt. */
  reason: string;
  /** When the engine went down (RFC 3339). */
  since: string;
  /** The restart attempt scheduled or running now (1 for the first after the crash). */
  attempt: number;
  /** When that attempt starts (RFC 3339); null while it runs. */
  retryAt: string | null;
  /** The backoff before that attempt (doubles per failed attempt); null while it runs. */
  backoffMs: number | null;
}
