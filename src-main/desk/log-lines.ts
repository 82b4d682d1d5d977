import type { LogLine } from '../contract/streams';

/** Longer lines are cut (with a marker) so one runaway line cannot hold megabytes. */
export const MAX_LINE_CHARS = 16 * 1024;

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) /;

/**
 * Splits a byte stream into lines for one pod/container, holding the partial last line until its newline
 * arrives (or the stream ends). With timestamps, the runtime's leading RFC 3339 stamp moves into `time`.
 */
export class LineSplitter {
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly pod: string,
    private readonly container: string,
    private readonly timestamps: boolean,
  ) {}

  push(chunk: Uint8Array): LogLine[] {
    const textChunk = this.partial + this.decoder.decode(chunk, { stream: true });
    const parts = textChunk.split('\n');
    this.partial = parts.pop() ?? '';
    if (this.partial.length > MAX_LINE_CHARS) {
      parts.push(this.partial);
      this.partial = '';
    }
    return parts.map((line) => this.toLine(line));
  }

  end(): LogLine[] {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    return rest === '' ? [] : [this.toLine(rest)];
  }

  private toLine(raw: string): LogLine {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let time: string | null = null;
    if (this.timestamps) {
      const match = TIMESTAMP.exec(line);
      if (match) {
        time = match[1];
        line = line.slice(match[0].length);
      }
    }
    if (line.length > MAX_LINE_CHARS) line = `${line.slice(0, MAX_LINE_CHARS)} … [${line.length - MAX_LINE_CHARS} more characters]`;
    return { pod: this.pod, container: this.container, time, text: line };
  }
}

/**
 * Lines waiting to be sent, flushed as one batch every `intervalMs`. Bounded: when the consumer falls behind,
 * the oldest lines are dropped and counted, so hours of tailing never grow memory.
 */
export class LineBatcher {
  private pending: LogLine[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (lines: LogLine[], dropped: number) => void,
    private readonly maxPending = 10_000,
    private readonly intervalMs = 50,
  ) {}

  add(lines: LogLine[]): void {
    if (lines.length === 0) return;
    for (const line of lines) this.pending.push(line);
    if (this.pending.length > this.maxPending) {
      const excess = this.pending.length - this.maxPending;
      this.pending.splice(0, excess);
      this.dropped += excess;
    }
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 && this.dropped === 0) return;
    const lines = this.pending;
    const dropped = this.dropped;
    this.pending = [];
    this.dropped = 0;
    this.send(lines, dropped);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
