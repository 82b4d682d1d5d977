import type { KubernetesObject, KubernetesListObject } from '@kubernetes/client-node';
import { Log, makeInformer } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import type { LogsInput } from '../contract/inputs';
import type { LogEvent, LogStreamState } from '../contract/streams';
import { toClusterError } from './cluster-error';
import type { ContextClient } from './context-registry';
import { collectionPath, objectPath } from './kind-catalog';
import { kubeRequest } from './kube-http';
import { list, record, stringMap, text } from './json-fields';
import { LineBatcher, LineSplitter } from './log-lines';
import { WATCH_TIMEOUT_SECONDS } from './resource-feed';

/** A Deployment's logs merge at most this many pods (the newest); more would flood any view. */
const MAX_PODS = 50;

interface Stream {
  state: LogStreamState;
  abort: AbortController | null;
  splitter: LineSplitter;
  /** The container's restart count when the stream opened: a higher one later means a new instance to follow. */
  restartCount: number;
}

type PodInformer = ReturnType<typeof makeInformer<KubernetesObject>>;

function containersOf(pod: unknown, only?: string): string[] {
  const names = list(record(record(pod).spec).containers).map((c) => text(record(c).name) ?? '');
  return only === undefined ? names : names.filter((n) => n === only);
}

/**
 * One logs subscription: streams (client-node Log, following when asked) for one container, every container
 * of a pod, or every container of every pod of a Deployment (pods joining and leaving as they come and go),
 * merged into bounded, batched line events.
 */
export class LogSession {
  private readonly streams = new Map<string, Stream>();
  private readonly batcher: LineBatcher;
  private informer: PodInformer | null = null;
  private stopped = false;
  private listing = true;
  private ended = false;

  constructor(
    private readonly client: ContextClient,
    private readonly input: LogsInput,
    private readonly emit: (event: LogEvent) => void,
  ) {
    this.batcher = new LineBatcher((lines, dropped) => {
      if (this.stopped) return;
      if (dropped > 0) emit({ type: 'dropped', count: dropped });
      if (lines.length > 0) emit({ type: 'lines', lines });
    });
  }

  async start(): Promise<void> {
    try {
      if (this.input.target.kind === 'pod') {
        const pod = await kubeRequest(this.client.config, { method: 'GET', path: objectPath('pods', this.input.namespace, this.input.target.pod) });
        this.addPod(pod);
      } else {
        await this.startDeployment(this.input.target.deployment);
      }
    } catch (error) {
      if (!this.stopped) this.emit({ type: 'error', error: toClusterError(error, this.client.server) });
    }
    this.listing = false;
    this.publishStreams();
    this.maybeEnd();
  }

  private async startDeployment(name: string): Promise<void> {
    const deployment = record(await kubeRequest(this.client.config, { method: 'GET', path: objectPath('deployments', this.input.namespace, name) }));
    const labels = stringMap(record(record(deployment.spec).selector).matchLabels);
    const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    const path = collectionPath('pods', this.input.namespace);
    const config = this.client.config;
    if (!this.input.follow) {
      const pods = list(record(await kubeRequest(config, { method: 'GET', path, query: { labelSelector: selector } })).items);
      for (const pod of pods.slice(-MAX_PODS)) this.addPod(pod);
      return;
    }
    const informer = makeInformer<KubernetesObject>(
      config,
      `${path}?timeoutSeconds=${WATCH_TIMEOUT_SECONDS}`,
      async () => (await kubeRequest(config, { method: 'GET', path, query: { labelSelector: selector } })) as KubernetesListObject<KubernetesObject>,
      selector,
    );
    this.informer = informer;
    // A pod joins the merge once it has a running (or finished) container to read from.
    informer.on('add', (pod) => this.addPod(pod));
    informer.on('update', (pod) => this.addPod(pod));
    informer.on('delete', (pod) => this.removePod(text(record(record(pod).metadata).name) ?? ''));
    informer.on('error', (error: unknown) => {
      if (this.stopped) return;
      this.emit({ type: 'error', error: toClusterError(error, this.client.server) });
      setTimeout(() => {
        if (!this.stopped) void informer.start();
      }, 2000).unref?.();
    });
    await informer.start();
  }

  private addPod(pod: unknown): void {
    if (this.stopped) return;
    const meta = record(record(pod).metadata);
    const podName = text(meta.name) ?? '';
    const statuses = list(record(record(pod).status).containerStatuses).map(record);
    const podCount = new Set([...this.streams.values()].map((s) => s.state.pod)).size;
    for (const container of containersOf(pod, this.input.target.container)) {
      const key = `${podName}/${container}`;
      const status = statuses.find((s) => s.name === container);
      const state = record(status?.state);
      const restartCount = typeof status?.restartCount === 'number' ? status.restartCount : 0;
      const existing = this.streams.get(key);
      if (existing !== undefined) {
        // Following a Deployment, a container that restarted is picked up again (its new instance's log).
        const restarted = this.informer !== null && !this.input.previous && existing.state.state !== 'streaming' && state.running !== undefined && restartCount > existing.restartCount;
        if (!restarted) continue;
        this.streams.delete(key);
        this.openStream(podName, container, restartCount, false);
        continue;
      }
      // Waiting containers have no log yet (unless we want the previous instance): wait for an update.
      const readable = this.input.previous ? status?.lastState !== undefined || state.terminated !== undefined : state.running !== undefined || state.terminated !== undefined;
      if (this.informer !== null && !readable) continue;
      if (this.informer !== null && podCount >= MAX_PODS) continue;
      this.openStream(podName, container, restartCount, true);
    }
  }

  private removePod(podName: string): void {
    let changed = false;
    for (const [key, stream] of this.streams) {
      if (stream.state.pod !== podName || stream.state.state !== 'streaming') continue;
      stream.abort?.abort();
      this.finishStream(key, 'ended', 'pod deleted');
      changed = true;
    }
    if (changed) this.publishStreams();
  }

  private openStream(pod: string, container: string, restartCount: number, first: boolean): void {
    const key = `${pod}/${container}`;
    const stream: Stream = {
      state: { pod, container, state: 'streaming', message: null },
      abort: null,
      splitter: new LineSplitter(pod, container, this.input.timestamps),
      restartCount,
    };
    this.streams.set(key, stream);
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        if (!this.stopped) this.batcher.add(stream.splitter.push(chunk));
        callback();
      },
      final: (callback) => {
        this.batcher.add(stream.splitter.end());
        this.finishStream(key, 'ended', null);
        callback();
      },
    });
    sink.on('error', () => this.finishStream(key, 'ended', null));
    const options = {
      follow: this.input.follow,
      previous: this.input.previous,
      timestamps: this.input.timestamps,
      // A restarted instance is read from its start: all of it is new to the viewer.
      tailLines: first ? this.input.tailLines : undefined,
      sinceSeconds: first ? this.input.sinceSeconds : undefined,
    };
    new Log(this.client.config)
      .log(this.input.namespace, pod, container, sink, options)
      .then((abort) => {
        if (this.stopped) abort.abort();
        else stream.abort = abort;
      })
      .catch(async () => {
        // client-node's Log drops the server's message; ask once more without following to get it.
        const message = await this.explainFailure(pod, container);
        this.finishStream(key, 'error', message);
      });
    if (!this.listing) this.publishStreams();
  }

  private async explainFailure(pod: string, container: string): Promise<string> {
    try {
      await kubeRequest(this.client.config, {
        method: 'GET',
        path: `${objectPath('pods', this.input.namespace, pod)}/log`,
        query: { container, previous: String(this.input.previous), tailLines: '1' },
      });
      return 'the log stream failed';
    } catch (error) {
      return toClusterError(error, this.client.server).message;
    }
  }

  private finishStream(key: string, state: 'ended' | 'error', message: string | null): void {
    const stream = this.streams.get(key);
    if (stream === undefined || stream.state.state !== 'streaming') return;
    stream.state = { ...stream.state, state, message };
    if (this.stopped) return;
    this.publishStreams();
    this.maybeEnd();
  }

  private publishStreams(): void {
    if (this.stopped) return;
    this.batcher.flush();
    this.emit({ type: 'streams', streams: [...this.streams.values()].map((s) => s.state) });
  }

  /** Without follow, the subscription ends once every stream has. A followed Deployment never ends by itself. */
  private maybeEnd(): void {
    if (this.ended || this.listing || this.informer !== null) return;
    if ([...this.streams.values()].some((s) => s.state.state === 'streaming')) return;
    this.ended = true;
    this.batcher.flush();
    this.emit({ type: 'end' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.batcher.stop();
    for (const stream of this.streams.values()) stream.abort?.abort();
    const informer = this.informer;
    this.informer = null;
    await informer?.stop();
  }
}
