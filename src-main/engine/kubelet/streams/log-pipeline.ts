/**
 * Turns Docker's log stream into the bytes of a pods/log response: demultiplexes stdout and stderr (non-TTY
 * containers), rewrites timestamps into the kubelet's format, and stops at limitBytes (which, as in the
 * kubelet, counts the timestamps too and may cut a line).
 */
import { DOCKER_STDERR, DOCKER_STDOUT, DockerFrameDecoder } from './docker-frames';
import { TimestampRewriter } from './log-timestamps';

export interface LogPipelineOptions {
  /** Docker's 8-byte frame headers are present (the container has no TTY) */
  multiplexed: boolean;
  timestamps: boolean;
  limitBytes?: number;
}

export interface LogChunk {
  out: Buffer;
  /** the byte limit is reached: nothing more will be produced */
  done: boolean;
}

export class LogPipeline {
  private readonly decoder: DockerFrameDecoder | undefined;
  private readonly rewriters = new Map<number, TimestampRewriter>();
  private remaining: number;

  constructor(private readonly opts: LogPipelineOptions) {
    this.decoder = opts.multiplexed ? new DockerFrameDecoder() : undefined;
    this.remaining = opts.limitBytes ?? Infinity;
  }

  push(chunk: Buffer): LogChunk {
    if (this.remaining <= 0) return { out: Buffer.alloc(0), done: true };
    const parts: Buffer[] = [];
    if (this.decoder) {
      for (const frame of this.decoder.push(chunk)) {
        // stdin echo and daemon errors are not container output
        if (frame.stream !== DOCKER_STDOUT && frame.stream !== DOCKER_STDERR) continue;
        parts.push(this.stamp(frame.stream, frame.payload));
      }
    } else {
      parts.push(this.stamp(DOCKER_STDOUT, chunk));
    }
    return this.limit(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  /** the tail held back while waiting for the rest of a timestamp */
  end(): LogChunk {
    const held = [...this.rewriters.values()].map((r) => r.flush());
    return this.limit(Buffer.concat(held));
  }

  private stamp(stream: number, payload: Buffer): Buffer {
    if (!this.opts.timestamps) return payload;
    let r = this.rewriters.get(stream);
    if (!r) {
      r = new TimestampRewriter();
      this.rewriters.set(stream, r);
    }
    return r.push(payload);
  }

  private limit(out: Buffer): LogChunk {
    if (out.length < this.remaining) {
      this.remaining -= out.length;
      return { out, done: false };
    }
    const cut = out.subarray(0, this.remaining);
    this.remaining = 0;
    return { out: cut, done: true };
  }
}
