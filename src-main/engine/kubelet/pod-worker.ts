/**
 * One pod on this node (the kubelet's pod worker + SyncPod): observe its Docker containers, run the plan of
 * pod-sync-plan.ts (sandbox, init containers in order, app containers with restart back-off, kills), write the
 * status of pod-status.ts when it changed, and terminate it gracefully when it is deleted. The kubelet runs at
 * most one sync per pod at a time (its work queue); termination runs beside it and only ever moves forward.
 */
import type { EventType } from '../controllers/event-recorder';
import type { KubeObject } from '../object';
import { jsonEqual } from '../object';
import { asNumber, asObject, asString, getString, type JsonObject } from '../registry/json-access';
import { StatusError } from '../status';
import { ContainerStarter } from './container-start';
import { sandboxConfig } from './container-config';
import { hookOf, runHook } from './lifecycle-hooks';
import { instancesOf, sandboxesOf, type ObservedContainer } from './observed-container';
import { PodProbes } from './pod-probes';
import { dockerMessage } from './pod-runtime';
import { computePodStatus, type WaitingReason } from './pod-status';
import { appContainersOf, initContainersOf, isTerminalPhase, nameOf, planPodSync } from './pod-sync-plan';
import { containerFieldPath, gracePeriodSeconds, podRef, type PodWorkerContext } from './pod-worker-context';
import { VolumeError } from './volume-error';

export type { PodVolumes, PodWorkerContext } from './pod-worker-context';

const COMPONENT = 'kubelet';
const MAX_MOUNT_RETRY_MS = 30_000;
/** after a preStop hook the container still gets this long for its stop signal (minimumGracePeriodInSeconds) */
const MIN_GRACE_AFTER_HOOK_MS = 2000;

/** When spec.activeDeadlineSeconds runs out (counted from status.startTime), if set. */
function activeDeadlineAt(pod: KubeObject): number | undefined {
  const seconds = asNumber(asObject(pod.spec)?.activeDeadlineSeconds);
  const start = Date.parse(asString(asObject(pod.status)?.startTime) ?? '');
  if (seconds === undefined || seconds <= 0 || Number.isNaN(start)) return undefined;
  return start + seconds * 1000;
}

export class PodWorker {
  private readonly reasons = new Map<string, WaitingReason>();
  private readonly probes: PodProbes;
  private readonly starter: ContainerStarter;
  private volumesReady = false;
  private mountFailures = 0;
  private termination: Promise<void> | undefined;
  private deadline = Infinity;
  private pod: KubeObject;
  /** set while a container waits on a ConfigMap, Secret or volume source to appear */
  private waitsOnObjects = false;

  constructor(
    readonly uid: string,
    pod: KubeObject,
    private readonly ctx: PodWorkerContext,
  ) {
    this.pod = pod;
    this.probes = new PodProbes({
      docker: ctx.runtime.docker,
      clock: ctx.clock,
      factory: ctx.probeFactory,
      onChange: () => ctx.requeue(uid, 0),
      onUnhealthy: (container, message) => this.event(this.pod, containerFieldPath(this.pod, container), 'Warning', 'Unhealthy', message),
    });
    this.starter = new ContainerStarter(ctx, {
      uid,
      reasons: this.reasons,
      event: (p, fieldPath, type, reason, message) => this.event(p, fieldPath, type, reason, message),
      waitOnObjects: () => {
        this.waitsOnObjects = true;
      },
    });
  }

  /** Whether a change of ConfigMaps, Secrets or claims in the pod's namespace might unblock this pod. */
  get blockedOnObjects(): boolean {
    return this.waitsOnObjects;
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? '';
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  private event(pod: KubeObject, fieldPath: string | undefined, type: EventType, reason: string, message: string): void {
    if (this.ctx.stopped()) return;
    this.ctx.recorder.record(pod, type, reason, message, COMPONENT, { fieldPath, host: this.ctx.nodeName });
  }

  /** Bring the pod's containers to what its spec asks for and report its status. */
  async sync(pod: KubeObject): Promise<void> {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp) {
      this.beginTermination(pod);
      return;
    }
    const rt = this.ctx.runtime;
    let observed = await rt.observe(this.uid);
    // As the kubelet does, report what is known before acting (a first pull may take long).
    await rt.resolveImageRefs(observed);
    if (this.ctx.stopped()) return;
    const reported = this.writeStatus(pod, observed, false) ?? pod;
    let wake: number | undefined;
    const wakeIn = (ms: number | undefined): void => {
      if (ms !== undefined) wake = wake === undefined ? ms : Math.min(wake, ms);
    };
    const activeDeadline = activeDeadlineAt(reported);
    if (activeDeadline !== undefined && !isTerminalPhase(reported)) {
      if (this.now() >= activeDeadline) {
        await this.failPod(pod, observed, 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
        return;
      }
      wakeIn(activeDeadline - this.now());
    }
    const actions = planPodSync({ pod, observed, livenessFailed: this.probes.livenessFailed(), startupFailed: this.probes.startupFailed() });
    this.waitsOnObjects = false;

    if (actions.killPod) {
      // A pod with containers of its own had a sandbox (even one already removed from Docker): it changed.
      if (actions.createSandbox && observed.length > 0) {
        this.event(pod, undefined, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      }
      if (await this.killAll(pod, observed, this.now() + gracePeriodSeconds(pod) * 1000)) observed = await rt.observe(this.uid);
    } else if (actions.kills.length > 0) {
      for (const k of actions.kills) this.event(pod, containerFieldPath(pod, k.name), 'Normal', 'Killing', k.message);
      // each kill has its own grace period: a failed probe's terminationGracePeriodSeconds overrides the pod's
      const now = this.now();
      await Promise.all(
        actions.kills.map((k) => {
          const deadline = now + (k.gracePeriodSeconds ?? gracePeriodSeconds(pod)) * 1000;
          return this.stopContainers(pod, observed.filter((o) => o.id === k.id), observed, () => deadline);
        }),
      );
      observed = await rt.observe(this.uid);
    }
    // A kill may wait out a grace period while the kubelet stops: whatever this sync would create after the
    // stop would outlive the engine (and its cleanup), so it creates nothing; the next kubelet decides.
    if (this.ctx.stopped()) return;

    let sandboxId = actions.sandboxId;
    const needsVolumes = actions.createSandbox || !!actions.nextInit || actions.startApps.length > 0;
    if (needsVolumes && !(await this.prepareVolumes(pod, wakeIn))) {
      await this.finish(pod, wake);
      return;
    }
    if (this.ctx.stopped()) return;
    if (actions.createSandbox) {
      try {
        sandboxId = await this.createSandbox(pod, actions.sandboxAttempt);
      } catch (err) {
        this.event(pod, undefined, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${dockerMessage(err)}`);
        wakeIn(2000);
        await this.finish(pod, wake);
        return;
      }
      observed = await rt.observe(this.uid);
    }
    const podIP = sandboxesOf(observed).find((s) => s.id === sandboxId)?.ip ?? '';

    for (const id of actions.startCreated) {
      const c = observed.find((o) => o.id === id);
      await rt.start(id).catch(() => undefined);
      if (c) this.event(pod, containerFieldPath(pod, c.name), 'Normal', 'Started', `Started container ${c.name}`);
    }
    if (actions.nextInit) {
      wakeIn(await this.starter.start(pod, actions.nextInit, 'init', observed, sandboxId, podIP));
    } else {
      for (const spec of actions.startApps) wakeIn(await this.starter.start(pod, spec, 'app', observed, sandboxId, podIP));
    }
    await this.finish(pod, wake);
  }

  /** Observe, report status, run probes for what runs, collect old instances, schedule the next sync. */
  private async finish(pod: KubeObject, wake: number | undefined): Promise<void> {
    if (this.ctx.stopped()) return;
    const rt = this.ctx.runtime;
    const observed = await rt.observe(this.uid);
    await rt.resolveImageRefs(observed);
    const written = this.writeStatus(pod, observed, false);
    const terminal = written ? isTerminalPhase(written) : false;
    const sandbox = sandboxesOf(observed).find((s) => s.state === 'running');
    const running = terminal
      ? []
      : appContainersOf(pod).flatMap((spec) => {
          const latest = instancesOf(observed, nameOf(spec), 'app')[0];
          return latest && latest.state === 'running' ? [{ observed: latest, spec }] : [];
        });
    this.probes.update(running, sandbox?.ip ?? '');
    await this.collectGarbage(observed);
    if (wake !== undefined) this.ctx.requeue(this.uid, Math.max(1, wake));
  }

  /** Stop everything and mark the pod Failed with a reason (activeDeadlineSeconds). */
  private async failPod(pod: KubeObject, observed: readonly ObservedContainer[], reason: string, message: string): Promise<void> {
    this.event(pod, undefined, 'Warning', reason, message);
    this.probes.stop();
    await this.killAll(pod, observed, this.now() + gracePeriodSeconds(pod) * 1000);
    const after = await this.ctx.runtime.observe(this.uid);
    await this.ctx.runtime.resolveImageRefs(after);
    this.writeStatus(pod, after, true, { phase: 'Failed', reason, message });
  }

  /** Write the computed status when it differs from the stored one; returns the pod as stored afterwards. */
  private writeStatus(pod: KubeObject, observed: readonly ObservedContainer[], terminated: boolean, override: JsonObject = {}): KubeObject | undefined {
    const { service, types } = this.ctx;
    const latest = service.tryGet(types.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (!latest || latest.metadata.uid !== this.uid) return undefined;
    const status = computePodStatus({
      pod: latest,
      observed,
      reasons: this.reasons,
      probes: (id) => this.probes.view(id),
      imageRef: (id) => this.ctx.runtime.imageRef(id),
      hostIP: this.ctx.hostIP(),
      now: this.now(),
      terminated,
    });
    Object.assign(status, override);
    if (jsonEqual(status, latest.status)) return latest;
    try {
      return service.update(types.pods, latest.metadata.namespace ?? '', latest.metadata.name ?? '', { ...latest, status }, { subresource: 'status' });
    } catch (err) {
      if (err instanceof StatusError && (err.code === 404 || err.code === 409)) return undefined;
      throw err;
    }
  }

  private async prepareVolumes(pod: KubeObject, wakeIn: (ms: number) => void): Promise<boolean> {
    if (this.volumesReady) return true;
    try {
      await this.ctx.volumes.prepare(pod);
      this.volumesReady = true;
      this.mountFailures = 0;
      return true;
    } catch (err) {
      const reason = err instanceof VolumeError ? err.reason : 'FailedMount';
      const message = err instanceof Error ? err.message : String(err);
      this.event(pod, undefined, 'Warning', reason, message);
      this.waitsOnObjects = true;
      wakeIn(Math.min(MAX_MOUNT_RETRY_MS, 1000 * 2 ** this.mountFailures++));
      return false;
    }
  }

  private async createSandbox(pod: KubeObject, attempt: number): Promise<string> {
    const rt = this.ctx.runtime;
    await rt.ensureNetwork();
    const mounts = this.ctx.volumes.sandboxMounts?.(pod) ?? [];
    const options = sandboxConfig({ pod, clusterId: this.ctx.clusterId, attempt, image: this.ctx.sandboxImage, network: rt.network, mounts, dns: this.ctx.dns });
    const { id } = await rt.create(options);
    await rt.start(id);
    return id;
  }

  /** Stop every running container of the pod, then its sandboxes. Returns whether anything was running. */
  private async killAll(pod: KubeObject, observed: readonly ObservedContainer[], deadline: number): Promise<boolean> {
    const rt = this.ctx.runtime;
    const containers = observed.filter((c) => c.role !== 'sandbox' && c.state === 'running');
    for (const c of containers) this.event(pod, containerFieldPath(pod, c.name), 'Normal', 'Killing', `Stopping container ${c.name}`);
    await this.stopContainers(pod, containers, observed, () => Math.min(deadline, this.deadline));
    const sandboxes = observed.filter((c) => c.role === 'sandbox' && c.state === 'running');
    await rt.stop(
      sandboxes.map((c) => ({ id: c.id, stopSignal: 'SIGKILL' })),
      () => 0,
      () => this.now(),
    );
    return containers.length + sandboxes.length > 0;
  }

  /** preStop hooks (within the grace period), then the stop signal, then SIGKILL at the deadline. */
  private async stopContainers(pod: KubeObject, containers: readonly ObservedContainer[], observed: readonly ObservedContainer[], deadline: () => number): Promise<void> {
    if (containers.length === 0) return;
    const podIP = sandboxesOf(observed).find((s) => s.state === 'running')?.ip ?? '';
    let hookEnd = 0;
    await Promise.all(
      containers.map(async (c) => {
        const spec = (c.role === 'init' ? initContainersOf(pod) : appContainersOf(pod)).find((x) => nameOf(x) === c.name);
        const hook = spec ? hookOf(spec, 'preStop') : undefined;
        const left = deadline() - this.now();
        if (!spec || !hook || left <= 0) return;
        const error = await runHook(hook, spec, { podIP, containerId: c.id }, this.ctx.hookRunner, left, podRef(pod));
        if (error) this.event(pod, containerFieldPath(pod, c.name), 'Warning', 'FailedPreStopHook', error);
        hookEnd = Math.max(hookEnd, this.now());
      }),
    );
    const stopDeadline = (): number => (hookEnd > 0 && this.deadline > 0 ? Math.max(deadline(), hookEnd + MIN_GRACE_AFTER_HOOK_MS) : deadline());
    await this.ctx.runtime.stop(
      containers.map((c) => ({ id: c.id, stopSignal: c.stopSignal })),
      stopDeadline,
      () => this.now(),
    );
  }

  /** Keep the latest instance of each container and the one before it (`logs --previous`); remove older dead ones. */
  private async collectGarbage(observed: readonly ObservedContainer[]): Promise<void> {
    const groups = new Map<string, ObservedContainer[]>();
    for (const c of observed) {
      const k = `${c.role}/${c.name}`;
      groups.set(k, [...(groups.get(k) ?? []), c]);
    }
    for (const [k, list] of groups) {
      const sorted = instancesOf(list, list[0].name, list[0].role);
      const keep = k.startsWith('sandbox/') ? 1 : 2;
      for (const c of sorted.slice(keep)) if (c.state !== 'running') await this.ctx.runtime.remove(c.id);
    }
  }

  // ---------------------------------------------------------------- termination

  private beginTermination(pod: KubeObject): void {
    const grace = pod.metadata.deletionGracePeriodSeconds ?? gracePeriodSeconds(pod);
    this.deadline = Math.min(this.deadline, this.now() + Math.max(0, grace) * 1000);
    if (this.termination) return;
    this.termination = this.terminate(pod).catch(() => {
      this.termination = undefined;
      if (!this.ctx.stopped()) this.ctx.requeue(this.uid, 1000);
    });
  }

  /** SIGTERM, grace period, SIGKILL; remove everything; then delete the pod object for good. */
  private async terminate(pod: KubeObject): Promise<void> {
    const rt = this.ctx.runtime;
    this.probes.stop();
    // as Kubernetes intends (endpoints drop a terminating pod before it stops), but waited for, not raced
    const ip = getString(pod, 'status', 'podIP');
    if (ip && this.ctx.drain) await this.ctx.drain(ip);
    if (this.ctx.stopped()) return;
    let observed = await rt.observe(this.uid);
    await this.killAll(pod, observed, this.deadline);
    if (this.ctx.stopped()) return;
    observed = await rt.observe(this.uid);
    await rt.resolveImageRefs(observed);
    this.writeStatus(pod, observed, true);
    await this.removeAll(observed);
    const { service, types } = this.ctx;
    try {
      service.delete(types.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
    } catch (err) {
      if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  private async removeAll(observed: readonly ObservedContainer[]): Promise<void> {
    const rt = this.ctx.runtime;
    const order = [...observed].sort((a, b) => Number(a.role === 'sandbox') - Number(b.role === 'sandbox'));
    for (const c of order) await rt.remove(c.id);
    try {
      await this.ctx.volumes.cleanup(this.uid);
    } catch {
      // left for the orphan sweep at the next start
    }
    this.ctx.images.forget(this.uid);
    this.ctx.backoff.forget(`${this.uid}/`);
  }

  /** The pod is gone from the store (force deletion, or never ours): kill and remove its containers at once. */
  async destroy(): Promise<void> {
    this.deadline = 0;
    this.probes.stop();
    if (this.termination) await this.termination;
    const observed = await this.ctx.runtime.observe(this.uid);
    await this.removeAll(observed);
  }

  /** The kubelet stops: stop probing, leave containers running for the next kubelet to adopt. */
  stop(): void {
    this.probes.stop();
  }

  /** Resolves when a termination in flight is over. */
  async settled(): Promise<void> {
    await this.termination;
  }
}
