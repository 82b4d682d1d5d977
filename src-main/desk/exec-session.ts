import type { V1Status } from '@kubernetes/client-node';
import { Exec } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { ExecInput } from '../contract/inputs';
import type { ExecEvent } from '../contract/streams';
import { DeskError, toClusterError } from './cluster-error';
import type { ContextClient } from './context-registry';
import { objectPath } from './kind-catalog';
import { kubeRequest } from './kube-http';
import { list, record, stringMap, text } from './json-fields';

/** Prefer bash where the image has it, else sh. */
export const DEFAULT_SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

/** The stdout stream client-node reads the terminal size from (it resizes when this emits 'resize'). */
class TerminalOutput extends Writable {
  columns: number;
  rows: number;

  constructor(cols: number, rows: number, onData: (chunk: Buffer) => void) {
    super({
      write: (chunk: Buffer, _encoding, callback) => {
        onData(chunk);
        callback();
      },
    });
    this.columns = cols;
    this.rows = rows;
  }

  resize(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

/** The exit code from the exec's final Status (Success = 0; NonZeroExitCode carries it as a cause). */
export function exitCodeOf(status: V1Status): number | null {
  if (status.status === 'Success') return 0;
  const cause = (status.details?.causes ?? []).find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : null;
}

/** An interactive terminal into a container (client-node Exec over WebSocket, TTY on). */
export class ExecSession {
  readonly id = randomUUID();
  private readonly stdin = new PassThrough();
  private output: TerminalOutput | null = null;
  private socket: { close(): void } | null = null;
  private closed = false;
  private exited = false;

  constructor(
    private readonly client: ContextClient,
    private readonly input: ExecInput,
    private readonly emit: (event: ExecEvent) => void,
    private readonly onClosed: () => void,
  ) {}

  async start(): Promise<void> {
    const { namespace, pod } = this.input;
    try {
      const container = this.input.container ?? (await this.defaultContainer());
      const decoder = new StringDecoder('utf8');
      this.output = new TerminalOutput(this.input.cols, this.input.rows, (chunk) => {
        const data = decoder.write(chunk);
        if (data !== '' && !this.closed) this.emit({ type: 'output', data });
      });
      const socket = await new Exec(this.client.config).exec(
        namespace,
        pod,
        container,
        this.input.command ?? DEFAULT_SHELL,
        this.output,
        null,
        this.stdin,
        true,
        (status) => this.exit(exitCodeOf(status), status.status === 'Success' ? null : (status.message ?? null)),
      );
      this.socket = socket;
      if (this.closed) {
        socket.close();
        return;
      }
      this.emit({ type: 'started', sessionId: this.id, container });
      socket.on('close', () => this.exit(null, null));
      socket.on('error', (error: Error) => this.exit(null, error.message));
    } catch (error) {
      if (!this.closed) this.emit({ type: 'error', error: toClusterError(error, this.client.server) });
      this.close();
    }
  }

  private async defaultContainer(): Promise<string> {
    const pod = record(await kubeRequest(this.client.config, { method: 'GET', path: objectPath('pods', this.input.namespace, this.input.pod) }));
    const names = list(record(pod.spec).containers).map((c) => text(record(c).name) ?? '');
    const preferred = stringMap(record(pod.metadata).annotations)['kubectl.kubernetes.io/default-container'];
    const chosen = preferred !== undefined && names.includes(preferred) ? preferred : names[0];
    if (chosen === undefined) throw new DeskError('invalid', `pod ${this.input.pod} has no containers`);
    return chosen;
  }

  private exit(exitCode: number | null, message: string | null): void {
    if (this.exited) return;
    this.exited = true;
    if (!this.closed) this.emit({ type: 'exit', exitCode, message });
    this.close();
  }

  write(data: string): void {
    if (this.closed) throw new DeskError('not-found', 'the session has ended');
    this.stdin.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.closed) throw new DeskError('not-found', 'the session has ended');
    this.output?.resize(cols, rows);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stdin.end();
    try {
      this.socket?.close();
    } catch {
      // already closed
    }
    this.onClosed();
  }
}
