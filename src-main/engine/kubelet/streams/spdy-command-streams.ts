/**
 * The SPDY side of kubectl's remotecommand (client-go tools/remotecommand v2.go..v4.go; the kubelet's
 * pkg/kubelet/cri/streaming/remotecommand/httpstream.go): protocol versions, the streams a client opens
 * (one per purpose, header `streamtype`), and waiting for all of them before the command runs.
 */
import type { RemoteCommandOptions } from './exec-options';
import type { ChannelStatus } from './exec-status';
import { RST_PROTOCOL_ERROR } from './spdy/spdy-frames';
import { headerValue } from './spdy/spdy-header-block';
import type { SpdyConnection, SpdyStream } from './spdy/spdy-connection';

export const SPDY_V4_PROTOCOL = 'v4.channel.k8s.io';
export const SPDY_V3_PROTOCOL = 'v3.channel.k8s.io';
export const SPDY_V2_PROTOCOL = 'v2.channel.k8s.io';
/** X-Stream-Protocol-Version values served for exec/attach over SPDY, best first (v1 and v5 are not). */
export const SPDY_REMOTE_COMMAND_PROTOCOLS: readonly string[] = [SPDY_V4_PROTOCOL, SPDY_V3_PROTOCOL, SPDY_V2_PROTOCOL];

/** How long a client may take to open its streams (the kubelet's streamCreationTimeout). */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

export type CommandStreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';
const STREAM_TYPES: readonly string[] = ['error', 'stdin', 'stdout', 'stderr', 'resize'];

/** The streams the client must open: always `error`; stdin/stdout/stderr as requested; `resize` with a TTY from v3 on. */
export function expectedStreamTypes(opts: Pick<RemoteCommandOptions, 'stdin' | 'stdout' | 'stderr' | 'tty'>, protocol: string): Set<CommandStreamType> {
  const types = new Set<CommandStreamType>(['error']);
  if (opts.stdin) types.add('stdin');
  if (opts.stdout) types.add('stdout');
  if (opts.stderr && !opts.tty) types.add('stderr');
  if (opts.tty && protocol !== SPDY_V2_PROTOCOL) types.add('resize');
  return types;
}

/** Client input that arrived before the session took the streams over; `null` is the stream's FIN. */
export interface EarlyInput {
  type: 'stdin' | 'resize';
  chunk: Buffer | null;
}

export interface CommandStreams {
  error: SpdyStream;
  stdin?: SpdyStream;
  stdout?: SpdyStream;
  stderr?: SpdyStream;
  resize?: SpdyStream;
  early: EarlyInput[];
}

export class StreamWaitError extends Error {
  constructor(
    message: string,
    /** the error stream, if the client opened it: where to tell the client */
    readonly errorStream: SpdyStream | undefined,
  ) {
    super(message);
  }
}

/**
 * Accept the client's streams until every expected one is open (each gets its SYN_REPLY), then resolve with
 * them. Unknown, unrequested, duplicate and late streams are reset. Rejects with a StreamWaitError after
 * `timeoutMs` or when the connection goes away first.
 */
export function collectCommandStreams(conn: SpdyConnection, expected: ReadonlySet<CommandStreamType>, timeoutMs = STREAM_CREATION_TIMEOUT_MS): Promise<CommandStreams> {
  return new Promise((resolve, reject) => {
    const found: Partial<Record<CommandStreamType, SpdyStream>> = {};
    const early: EarlyInput[] = [];
    let settled = false;
    const previousOnClose = conn.onClose;
    const settle = (): void => {
      settled = true;
      clearTimeout(timer);
      conn.onStream = (late) => late.reset(RST_PROTOCOL_ERROR);
      conn.onClose = previousOnClose;
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settle();
      const missing = [...expected].filter((t) => found[t] === undefined);
      reject(new StreamWaitError(`timed out waiting for client to create streams (missing: ${missing.join(', ')})`, found.error));
    }, timeoutMs);
    conn.onClose = (reason) => {
      settle();
      previousOnClose(reason);
      reject(new StreamWaitError(`connection closed before the client created its streams: ${reason}`, undefined));
    };
    conn.onStream = (stream) => {
      const type = headerValue(stream.headers, 'streamtype');
      if (!STREAM_TYPES.includes(type)) {
        stream.reset(RST_PROTOCOL_ERROR);
        return;
      }
      const t = type as CommandStreamType;
      if (!expected.has(t) || found[t] !== undefined) {
        stream.reset(RST_PROTOCOL_ERROR);
        return;
      }
      stream.reply();
      found[t] = stream;
      if (t === 'stdin' || t === 'resize') {
        stream.onData = (chunk) => early.push({ type: t, chunk });
        stream.onEnd = () => early.push({ type: t, chunk: null });
      }
      if ([...expected].every((e) => found[e] !== undefined)) {
        settle();
        resolve({ ...found, error: found.error as SpdyStream, early });
      }
    };
  });
}

/**
 * What the error stream carries at the end: v4 the Status as JSON (client-go's errorDecoderV4 reads the exit
 * code from it); v2/v3 nothing on success and the message as text otherwise.
 */
export function errorStreamPayload(status: ChannelStatus, protocol: string): Buffer | undefined {
  if (protocol === SPDY_V4_PROTOCOL) return Buffer.from(JSON.stringify(status));
  if (status.status === 'Success') return undefined;
  return Buffer.from(status.message ?? 'error executing remote command');
}
