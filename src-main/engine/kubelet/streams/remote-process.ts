/** What an exec or attach session drives: a Docker exec or a container's main process. */
import type { Duplex } from 'node:stream';
import type { ChannelStatus } from './exec-status';
import type { TerminalSize } from './resize-decoder';

export interface RemoteProcessResult {
  status: ChannelStatus;
  /** Docker never started the command: the held `startError` text is the explanation, not output */
  startFailed: boolean;
}

export interface RemoteProcess {
  /** Docker frames stdout/stderr with 8-byte headers (no TTY); with a TTY the stream is raw */
  readonly multiplexed: boolean;
  /** a TTY: stdin EOF cannot be passed on by half-closing (Docker would end the whole session) */
  readonly tty: boolean;
  /** whether stdin is attached at all */
  readonly stdin: boolean;
  /** whether the first output may be Docker's "could not start" message (exec only) */
  readonly mayFailToStart: boolean;
  /** Start (or attach) and return the hijacked Docker connection. */
  start(): Promise<Duplex>;
  resize(size: TerminalSize): Promise<void>;
  /** After the connection ended: the status for the error channel. */
  finish(startError: string | undefined): Promise<RemoteProcessResult>;
}
