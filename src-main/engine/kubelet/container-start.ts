/**
 * Starting one container of a pod (the kubelet's startContainer, with doBackOff before it): the crash
 * back-off, the image per pull policy, the environment and mounts, create and start, then the postStart hook.
 * Each failure is remembered as the container's waiting reason and reported as an event, as the kubelet does.
 */
import type { EventType } from '../controllers/event-recorder';
import type { KubeObject } from '../object';
import { asArray, asNumber, asObject, asString, type JsonObject } from '../registry/json-access';
import { containerConfig, containerSpecHash, runAsNonRootError } from './container-config';
import { expandCommand, resolveEnv } from './env-resolver';
import { goDuration } from './go-duration';
import { hookOf, runHook } from './lifecycle-hooks';
import { instancesOf, type ObservedContainer } from './observed-container';
import { dockerMessage } from './pod-runtime';
import type { WaitingReason } from './pod-status';
import { containerFieldPath, gracePeriodSeconds, podRef, type PodWorkerContext } from './pod-worker-context';
import { nameOf } from './pod-sync-plan';
import { serviceEnvVars } from './service-env';
import type { DockerMount } from './volume-mounts';

const CONFIG_RETRY_MS = 10_000;
const POST_START_TIMEOUT_MS = 120_000;

/** What the starter needs of its pod worker. */
export interface StarterHost {
  uid: string;
  reasons: Map<string, WaitingReason>;
  event(pod: KubeObject, fieldPath: string | undefined, type: EventType, reason: string, message: string): void;
  /** a container waits for a ConfigMap or Secret to appear */
  waitOnObjects(): void;
}

function timeOf(ts: string, fallback: number): number {
  const ms = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(ms) ? fallback : ms;
}

/** The restart count of the next instance: one more than the last one Docker or the stored status knew. */
export function nextRestartCount(pod: KubeObject, observed: readonly ObservedContainer[], name: string, role: 'init' | 'app'): number {
  const latest = instancesOf(observed, name, role)[0];
  let n = latest ? latest.restartCount + 1 : 0;
  const key = role === 'init' ? 'initContainerStatuses' : 'containerStatuses';
  for (const s of asArray(asObject(pod.status)?.[key]) ?? []) {
    const o = asObject(s);
    if (o?.name === name && asString(o.containerID)) n = Math.max(n, (asNumber(o.restartCount) ?? 0) + 1);
  }
  return n;
}

export class ContainerStarter {
  constructor(
    private readonly ctx: PodWorkerContext,
    private readonly host: StarterHost,
  ) {}

  /** startContainer with doBackOff before it; returns when to sync again (ms), if a retry is due. */
  async start(
    pod: KubeObject,
    spec: JsonObject,
    role: 'init' | 'app',
    observed: readonly ObservedContainer[],
    sandboxId: string,
    podIP: string,
  ): Promise<number | undefined> {
    const name = nameOf(spec);
    const fieldPath = containerFieldPath(pod, name);
    const ev = (type: EventType, reason: string, message: string): void => this.host.event(pod, fieldPath, type, reason, message);
    const fail = (reason: string, message: string, retry: number | undefined, eventMessage = `Error: ${message}`): number | undefined => {
      this.host.reasons.set(name, { reason, message });
      ev('Warning', 'Failed', eventMessage);
      return retry;
    };

    const key = `${this.host.uid}/${name}/${containerSpecHash(spec)}`;
    const lastExited = instancesOf(observed, name, role).find((c) => c.state === 'exited');
    if (lastExited) {
      const finished = lastExited.finishedAtMs || timeOf(lastExited.createdAt, this.ctx.clock.now());
      const ran = lastExited.startedAtMs ? Math.max(0, finished - lastExited.startedAtMs) : 0;
      const left = this.ctx.backoff.remaining(key, finished, ran);
      if (left > 0) {
        const window = goDuration(this.ctx.backoff.window(key));
        ev('Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${podRef(pod)}`);
        this.host.reasons.set(name, { reason: 'CrashLoopBackOff', message: `back-off ${window} restarting failed container=${name} pod=${podRef(pod)}` });
        return left;
      }
      this.ctx.backoff.next(key, ran);
    }

    const pulled = await this.ctx.images.ensure(spec, this.host.uid, ev);
    if (!pulled.ok) return fail(pulled.reason, pulled.message, pulled.retryInMs ?? 5000, `Error: ${pulled.reason}`);

    const restartCount = nextRestartCount(pod, observed, name, role);
    const configError = (message: string): number | undefined => {
      this.host.waitOnObjects();
      return fail('CreateContainerConfigError', message, CONFIG_RETRY_MS);
    };
    const nonRoot = runAsNonRootError(pod, spec, pulled.imageUser);
    if (nonRoot) return configError(nonRoot);
    const namespace = pod.metadata.namespace ?? '';
    const { service, types } = this.ctx;
    const enableServiceLinks = asObject(pod.spec)?.enableServiceLinks !== false;
    const services = service.all(types.services).filter((s) => s.metadata.namespace === namespace || s.metadata.namespace === 'default');
    const env = resolveEnv(
      pod,
      spec,
      {
        configMap: (n) => service.tryGet(types.configMaps, namespace, n),
        secret: (n) => service.tryGet(types.secrets, namespace, n),
      },
      { podIP, hostIP: this.ctx.hostIP(), allocatable: this.ctx.allocatable(), serviceEnv: serviceEnvVars(services, namespace, enableServiceLinks) },
    );
    if (!env.ok) return configError(env.message);
    for (const w of env.warnings) ev('Warning', 'InvalidEnvironmentVariableNames', w);
    let mounts: DockerMount[];
    try {
      mounts = this.ctx.volumes.mountsFor(pod, spec);
    } catch (err) {
      return configError(err instanceof Error ? err.message : String(err));
    }
    const { command, args } = expandCommand(spec, env.env);
    const options = containerConfig({
      pod,
      container: spec,
      role,
      restartCount,
      clusterId: this.ctx.clusterId,
      sandboxId,
      env: env.env,
      command,
      args,
      mounts,
      imageUser: pulled.imageUser,
    });
    // A pull or volume preparation may outlast the kubelet's stop: a container created now would outlive the
    // engine (and its cleanup); the next kubelet starts it.
    if (this.ctx.stopped()) return undefined;
    let id: string;
    try {
      ({ id } = await this.ctx.runtime.create(options));
    } catch (err) {
      return fail('CreateContainerError', dockerMessage(err), 5000);
    }
    ev('Normal', 'Created', `Created container ${name}`);
    try {
      await this.ctx.runtime.start(id);
    } catch (err) {
      // The container stays, exited with Docker's start error (StartError); its restart follows the back-off.
      this.host.reasons.set(name, { reason: 'RunContainerError', message: dockerMessage(err) });
      ev('Warning', 'Failed', `Error: ${dockerMessage(err)}`);
      return 1;
    }
    ev('Normal', 'Started', `Started container ${name}`);
    const postStart = hookOf(spec, 'postStart');
    if (postStart) {
      const error = await runHook(postStart, spec, { podIP, containerId: id }, this.ctx.hookRunner, POST_START_TIMEOUT_MS, podRef(pod));
      if (error) {
        ev('Warning', 'FailedPostStartHook', error);
        const deadline = this.ctx.clock.now() + gracePeriodSeconds(pod) * 1000;
        await this.ctx.runtime.stop([{ id, stopSignal: '' }], () => deadline, () => this.ctx.clock.now());
        this.host.reasons.set(name, { reason: 'PostStartHookError', message: error });
        return 1;
      }
    }
    this.host.reasons.delete(name);
    return undefined;
  }
}
