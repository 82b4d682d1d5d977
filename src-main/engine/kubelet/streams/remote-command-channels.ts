/**
 * An exec/attach client connection as the session logic sees it, whichever transport carries it: the
 * WebSocket channel protocol (websocket-command-channels.ts) or one SPDY stream per purpose
 * (spdy-command-channels.ts). Channels start with input paused: the session assigns the `on…` handlers and
 * calls resumeInput() once the process's connection exists.
 */
import type { ChannelStatus } from './exec-status';
import type { Pausable } from './frame-sender';

export type OutputStream = 'stdout' | 'stderr';

export interface RemoteCommandChannels {
  /** Output for the client; `source` is paused while the client reads slowly. Only requested streams are passed. */
  send(stream: OutputStream, payload: Buffer | string, source?: Pausable): void;
  /** Write the final Status (in the transport's protocol version) and close the connection. */
  finish(status: ChannelStatus): void;
  /** Drop the connection at once (engine shutdown). */
  terminate(): void;
  /** Stop delivering input (stdin, resize) until as many resumeInput() calls (one is owed from the start). */
  pauseInput(): void;
  resumeInput(): void;
  /** bytes for the process's stdin */
  onStdin: (chunk: Buffer) => void;
  /** the client will send no more stdin */
  onStdinEnd: () => void;
  /** raw bytes of the resize stream: JSON TerminalSize values */
  onResize: (chunk: Buffer) => void;
  /** the connection is gone (either side closed it) */
  onClose: () => void;
}
