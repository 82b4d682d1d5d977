/**
 * Terminal sizes from the resize channel. client-go sends `{"Width":80,"Height":24}` (one JSON value per
 * message, newline-terminated), client-node `{"height":24,"width":80}`; Go decodes field names
 * case-insensitively from a stream, so values may also be split across or packed into messages.
 */
import { isPlainObject } from '../../object';

export interface TerminalSize {
  width: number;
  height: number;
}

/** Held bytes beyond this are garbage, not a size. */
const MAX_PENDING = 4096;

function dimension(obj: Record<string, unknown>, name: string): number | undefined {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
  if (key === undefined) return 0;
  const v = obj[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff ? v : undefined;
}

/** A TerminalSize from a decoded JSON value; undefined if it is not one or a side is 0 (the kubelet skips those). */
export function parseTerminalSize(value: unknown): TerminalSize | undefined {
  if (!isPlainObject(value)) return undefined;
  const width = dimension(value, 'width');
  const height = dimension(value, 'height');
  if (!width || !height) return undefined;
  return { width, height };
}

/** Incremental: push message payloads, get the complete sizes back. */
export class ResizeDecoder {
  private pending = '';

  push(chunk: Buffer): TerminalSize[] {
    this.pending += chunk.toString('utf8');
    const sizes: TerminalSize[] = [];
    for (;;) {
      const start = this.pending.search(/\S/);
      if (start < 0) {
        this.pending = '';
        break;
      }
      if (this.pending[start] !== '{') {
        this.pending = ''; // not a JSON object: drop what we have
        break;
      }
      const end = objectEnd(this.pending, start);
      if (end < 0) {
        if (this.pending.length > MAX_PENDING) this.pending = '';
        else this.pending = this.pending.slice(start);
        break;
      }
      const text = this.pending.slice(start, end);
      this.pending = this.pending.slice(end);
      try {
        const size = parseTerminalSize(JSON.parse(text) as unknown);
        if (size) sizes.push(size);
      } catch {
        // malformed JSON: skip this value
      }
    }
    return sizes;
  }
}

/** Index just past the object that opens at `start`, or -1 if it is not complete yet. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
