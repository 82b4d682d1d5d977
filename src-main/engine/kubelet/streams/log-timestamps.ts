/**
 * Timestamps on log lines as the kubelet writes them: RFC3339Nano with all nine fraction digits and `Z`
 * (`2024-05-01T12:00:00.123456789Z `). Docker prefixes each line with its own RFC 3339 time; this rewrites
 * that prefix so the output does not depend on the daemon version's formatting.
 */
import { parseRfc3339, type PreciseTime } from './stream-params';

/** `2024-05-01T12:00:00.123456789Z` */
export function formatTimestamp(t: PreciseTime): string {
  const iso = new Date(t.seconds * 1000).toISOString(); // 2024-05-01T12:00:00.000Z
  return `${iso.slice(0, 19)}.${String(t.nanos).padStart(9, '0')}Z`;
}

/** Docker's timestamp token in the kubelet's format; undefined when it is not a timestamp. */
export function normalizeTimestamp(token: string): string | undefined {
  const t = parseRfc3339(token);
  return t ? formatTimestamp(t) : undefined;
}

/** Longest token taken for a timestamp (RFC3339Nano with an offset is 35 characters). */
const MAX_TOKEN = 40;
const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Stateful per stream: rewrites the token that starts each line, passing everything else through. */
export class TimestampRewriter {
  private atLineStart = true;
  private token: Buffer[] = [];
  private tokenLength = 0;

  push(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.atLineStart) {
        const space = chunk.indexOf(SPACE, i);
        const end = space < 0 ? chunk.length : space;
        const newline = chunk.indexOf(NEWLINE, i);
        if (newline >= 0 && newline < end) {
          // a line without a timestamp: pass it as it is
          out.push(...this.takeToken(), chunk.subarray(i, newline + 1));
          i = newline + 1;
          continue;
        }
        this.token.push(chunk.subarray(i, end));
        this.tokenLength += end - i;
        if (space < 0) {
          if (this.tokenLength > MAX_TOKEN) {
            out.push(...this.takeToken());
            this.atLineStart = false;
          }
          break;
        }
        const raw = Buffer.concat(this.takeToken());
        const normalized = raw.length <= MAX_TOKEN ? normalizeTimestamp(raw.toString('latin1')) : undefined;
        out.push(normalized === undefined ? raw : Buffer.from(normalized, 'latin1'));
        this.atLineStart = false;
        i = space; // the space itself is passed through below
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, i);
      if (newline < 0) {
        out.push(chunk.subarray(i));
        break;
      }
      out.push(chunk.subarray(i, newline + 1));
      this.atLineStart = true;
      i = newline + 1;
    }
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  /** whatever is held when the stream ends */
  flush(): Buffer {
    return Buffer.concat(this.takeToken());
  }

  private takeToken(): Buffer[] {
    const t = this.token;
    this.token = [];
    this.tokenLength = 0;
    return t;
  }
}
