/**
 * Labels on every Docker object the engine creates. The cluster id scopes them: an engine only ever lists,
 * adopts or removes objects carrying its own id, so engines with different state dirs share one Docker.
 */
export const LABEL_CLUSTER = 'dev.skiff.cluster';
export const LABEL_POD_UID = 'dev.skiff.pod-uid';
export const LABEL_POD_NAME = 'dev.skiff.pod-name';
export const LABEL_POD_NAMESPACE = 'dev.skiff.pod-namespace';
/** the pod's container name; the sandbox carries SANDBOX_CONTAINER_NAME */
export const LABEL_CONTAINER_NAME = 'dev.skiff.container';
export const LABEL_RESTART_COUNT = 'dev.skiff.restart-count';
/** 'sandbox' | 'init' | 'app' */
export const LABEL_ROLE = 'dev.skiff.role';
/** hash of the container spec it was created from, to notice spec changes */
export const LABEL_SPEC_HASH = 'dev.skiff.spec-hash';

export const SANDBOX_CONTAINER_NAME = 'POD';

export type ContainerRole = 'sandbox' | 'init' | 'app';
