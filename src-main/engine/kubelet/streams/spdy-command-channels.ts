/**
 * The SPDY streams of one exec/attach (spdy-command-streams.ts) as RemoteCommandChannels: output as DATA on
 * the stdout/stderr streams, the stdin stream's FIN is stdin EOF, resize carries JSON sizes, and at the end
 * the error stream gets the Status in the negotiated protocol's form, every stream its FIN and the
 * connection a GOAWAY (as the kubelet's `defer conn.Close()`), after which client-go sees EOF everywhere.
 */
import type { ChannelStatus } from './exec-status';
import type { Pausable } from './frame-sender';
import type { OutputStream, RemoteCommandChannels } from './remote-command-channels';
import { errorStreamPayload, type CommandStreams, type EarlyInput } from './spdy-command-streams';
import type { SpdyConnection } from './spdy/spdy-connection';

export class SpdyCommandChannels implements RemoteCommandChannels {
  onStdin: (chunk: Buffer) => void = () => undefined;
  onStdinEnd: () => void = () => undefined;
  onResize: (chunk: Buffer) => void = () => undefined;
  onClose: () => void = () => undefined;

  /** input held while paused, in order */
  private readonly queue: EarlyInput[];
  private pauses = 1;
  private readonly pausedSources = new Set<Pausable>();

  constructor(
    private readonly conn: SpdyConnection,
    private readonly streams: CommandStreams,
    private readonly protocol: string,
  ) {
    this.queue = [...streams.early];
    conn.pauseInput();
    conn.onClose = () => this.onClose();
    if (streams.stdin) {
      streams.stdin.onData = (chunk) => this.input({ type: 'stdin', chunk });
      streams.stdin.onEnd = () => this.input({ type: 'stdin', chunk: null });
    }
    if (streams.resize) {
      streams.resize.onData = (chunk) => this.input({ type: 'resize', chunk });
    }
  }

  send(stream: OutputStream, payload: Buffer | string, source?: Pausable): void {
    const target = this.streams[stream];
    if (!target) return;
    const ok = target.write(typeof payload === 'string' ? Buffer.from(payload) : payload);
    if (ok || !source || this.pausedSources.has(source) || this.conn.isClosed) return;
    this.pausedSources.add(source);
    source.pause();
    this.conn.onceDrained(() => {
      this.pausedSources.delete(source);
      source.resume();
    });
  }

  finish(status: ChannelStatus): void {
    const payload = errorStreamPayload(status, this.protocol);
    if (payload) this.streams.error.write(payload);
    this.streams.error.end();
    this.streams.stdout?.end();
    this.streams.stderr?.end();
    this.conn.close();
  }

  terminate(): void {
    this.conn.close();
  }

  pauseInput(): void {
    if (this.pauses++ === 0) this.conn.pauseInput();
  }

  resumeInput(): void {
    if (this.pauses === 0) return;
    if (--this.pauses > 0) return;
    this.conn.resumeInput();
    while (this.pauses === 0 && this.queue.length > 0) this.deliver(this.queue.shift() as EarlyInput);
  }

  private input(event: EarlyInput): void {
    if (this.pauses > 0 || this.queue.length > 0) this.queue.push(event);
    else this.deliver(event);
  }

  private deliver(event: EarlyInput): void {
    if (event.type === 'resize') {
      if (event.chunk) this.onResize(event.chunk);
    } else if (event.chunk) {
      this.onStdin(event.chunk);
    } else {
      this.onStdinEnd();
    }
  }
}
