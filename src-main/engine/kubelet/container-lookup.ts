/**
 * ContainerResolver for logs, exec, attach and port-forward: the API server's container choice
 * (validateContainer, with kubectl's default-container annotation) and the kubelet's choice of instance from
 * the pod status (validateContainerLogStatus), mapped to the Docker container behind it.
 */
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { asArray, asObject, asString, getString, type JsonObject } from '../registry/json-access';
import type { ResourceType } from '../registry/resource-type';
import { badRequest, notFound } from '../status';
import type { ContainerRef, ContainerResolver, ResolveOptions } from './container-resolver';
import { SANDBOX_CONTAINER_NAME } from './labels';
import type { PodRuntime } from './pod-runtime';
import { sandboxesOf } from './observed-container';

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

function names(pod: KubeObject, key: 'initContainers' | 'containers'): string[] {
  return (asArray(asObject(pod.spec)?.[key]) ?? []).flatMap((c) => {
    const n = asString(asObject(c)?.name);
    return n ? [n] : [];
  });
}

/** The container a request means (validateContainer), or a BadRequest. */
export function chooseContainer(pod: KubeObject, requested: string | undefined): string {
  const podName = pod.metadata.name ?? '';
  const apps = names(pod, 'containers');
  const all = [...names(pod, 'initContainers'), ...apps];
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER];
  if (annotated && all.includes(annotated)) return annotated;
  if (apps.length === 1) return apps[0];
  if (apps.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
  throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${all.join(' ')}]`);
}

function statusOf(pod: KubeObject, name: string): JsonObject | undefined {
  for (const key of ['containerStatuses', 'initContainerStatuses']) {
    for (const s of asArray(asObject(pod.status)?.[key]) ?? []) {
      const o = asObject(s);
      if (o?.name === name) return o;
    }
  }
  return undefined;
}

function dockerId(containerID: unknown): string {
  const s = asString(containerID) ?? '';
  const i = s.indexOf('://');
  return i >= 0 ? s.slice(i + 3) : s;
}

/** The Docker id to read for a container status (validateContainerLogStatus), or a BadRequest. */
export function instanceFor(podName: string, name: string, status: JsonObject | undefined, previous: boolean): string {
  if (!status) throw badRequest(`container "${name}" in pod "${podName}" is not available`);
  const state = asObject(status.state) ?? {};
  const last = asObject(asObject(status.lastState)?.terminated);
  const waiting = asObject(state.waiting);
  const running = asObject(state.running);
  const terminated = asObject(state.terminated);
  if (previous) {
    const id = dockerId(last?.containerID);
    if (!id) throw badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    return id;
  }
  if (running) return dockerId(status.containerID);
  if (terminated) {
    const id = dockerId(terminated.containerID) || dockerId(last?.containerID);
    if (!id) throw badRequest(`container "${name}" in pod "${podName}" is terminated`);
    return id;
  }
  if (last) {
    const id = dockerId(last.containerID);
    if (!id) throw badRequest(`container "${name}" in pod "${podName}" is terminated`);
    return id;
  }
  if (waiting) {
    const reason = asString(waiting.reason) ?? '';
    if (reason === 'ErrImagePull') throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff') throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
    throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${reason}`);
  }
  throw badRequest(`container "${name}" in pod "${podName}" is waiting to start - no logs yet`);
}

export class ContainerLookup implements ContainerResolver {
  private readonly pods: ResourceType;

  constructor(
    private readonly service: ObjectService,
    private readonly runtime: PodRuntime,
  ) {
    const t = service.typeOf('pods');
    if (!t) throw new Error('the registry has no pods');
    this.pods = t;
  }

  async resolve(namespace: string, podName: string, container: string | undefined, opts: ResolveOptions = {}): Promise<ContainerRef> {
    const pod = this.service.tryGet(this.pods, namespace, podName);
    if (!pod) throw notFound('', 'pods', podName);
    const name = chooseContainer(pod, container);
    const id = instanceFor(podName, name, statusOf(pod, name), opts.previous === true);
    const observed = await this.runtime.inspect(id);
    if (!observed || observed.name === SANDBOX_CONTAINER_NAME) {
      if (opts.previous) throw badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
      throw badRequest(`container "${name}" in pod "${podName}" is not available`);
    }
    let sandboxId = observed.sandboxId;
    if (!sandboxId) {
      const sandbox = sandboxesOf(await this.runtime.observe(pod.metadata.uid ?? '')).find((s) => s.state === 'running');
      sandboxId = sandbox?.id ?? '';
    }
    return {
      id: observed.id,
      name,
      restartCount: observed.restartCount,
      running: observed.state === 'running',
      tty: observed.tty,
      podIP: getString(pod, 'status', 'podIP'),
      sandboxId,
    };
  }
}
