/** What the log, exec, attach and port-forward handlers need from the kubelet. */

export interface ContainerRef {
  /** Docker container id */
  id: string;
  /** the pod's container name */
  name: string;
  restartCount: number;
  running: boolean;
  tty: boolean;
  /** the pod's IP (for port-forward), '' when none */
  podIP: string;
  /** the sandbox container id, whose network namespace the pod's containers share */
  sandboxId: string;
}

export interface ResolveOptions {
  /** the previous, terminated instance of the container (`kubectl logs --previous`) */
  previous?: boolean;
}

export interface ContainerResolver {
  /**
   * The Docker container behind a pod's container. `container` undefined or '' means the pod's default
   * container (annotation kubectl.kubernetes.io/default-container, else the only/first one).
   * Throws StatusError with the messages the kubelet uses, e.g. 400 BadRequest
   * `container "x" in pod "p" is waiting to start: ContainerCreating`,
   * `a container name must be specified for pod p, choose one of: [a b]`,
   * `container x is not valid for pod p`,
   * `previous terminated container "x" in pod "p" not found`.
   */
  resolve(namespace: string, podName: string, container: string | undefined, opts?: ResolveOptions): Promise<ContainerRef>;
}
