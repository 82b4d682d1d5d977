/**
 * A small reader for the protocol-buffers wire format (https://protobuf.dev/programming-guides/encoding/):
 * varints, 64- and 32-bit fixed words and length-delimited bytes. Kubernetes' generated messages use only
 * these (no zigzag, no groups), but a skipped unknown field may be any wire type, so groups are skipped too.
 * Every read is bounds-checked; running past the end or meeting a malformed tag is a 400 BadRequest.
 */
import { badRequest } from '../../status';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

/** Deepest group nesting skipUnknown follows before giving up (groups are not used by Kubernetes). */
const MAX_GROUP_DEPTH = 64;

export class WireError extends Error {}

/** Turn any WireError into the 400 that a truncated or garbled request body deserves. */
export function protobufError(err: unknown): Error {
  if (err instanceof WireError) return badRequest(`error decoding the request body as protobuf: ${err.message}`);
  return err instanceof Error ? err : new Error(String(err));
}

export interface Tag {
  field: number;
  wireType: number;
}

export class WireReader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint of up to 10 bytes, as a 64-bit BigInt. */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('unexpected end of data inside a varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A varint that must fit a non-negative JavaScript number (tags, lengths). */
  smallVarint(): number {
    const v = this.varint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new WireError('length or tag out of range');
    return Number(v);
  }

  tag(): Tag {
    const t = this.smallVarint();
    const field = Math.floor(t / 8);
    const wireType = t % 8;
    if (field === 0 || field > 0x1fffffff) throw new WireError(`invalid field number ${field}`);
    return { field, wireType };
  }

  fixed64(): Uint8Array {
    return this.take(8);
  }

  fixed32(): Uint8Array {
    return this.take(4);
  }

  /** The payload of a length-delimited field (a view, not a copy). */
  bytes(): Uint8Array {
    const len = this.smallVarint();
    return this.take(len);
  }

  /** A reader over the payload of a length-delimited field. */
  sub(): WireReader {
    const len = this.smallVarint();
    if (len > this.end - this.pos) throw new WireError(`length ${len} runs past the end of the data`);
    const r = new WireReader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  /** Step over the value of a field whose tag was just read. */
  skip(tag: Tag, depth = 0): void {
    switch (tag.wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.take(8);
        return;
      case WIRE_BYTES:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.take(4);
        return;
      case WIRE_START_GROUP: {
        if (depth >= MAX_GROUP_DEPTH) throw new WireError('groups nested too deeply');
        for (;;) {
          if (this.done()) throw new WireError(`unterminated group for field ${tag.field}`);
          const inner = this.tag();
          if (inner.wireType === WIRE_END_GROUP) {
            if (inner.field !== tag.field) throw new WireError(`mismatched end of group for field ${tag.field}`);
            return;
          }
          this.skip(inner, depth + 1);
        }
      }
      default:
        throw new WireError(`unexpected wire type ${tag.wireType} for field ${tag.field}`);
    }
  }

  private take(n: number): Uint8Array {
    if (n > this.end - this.pos) throw new WireError(`length ${n} runs past the end of the data`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

const utf8 = new TextDecoder('utf-8');

/**
 * Protobuf strings are UTF-8. Go's generated unmarshaller does not validate them, and encoding/json turns
 * invalid sequences into U+FFFD, so a lenient decode yields what the JSON form of the object would hold.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
