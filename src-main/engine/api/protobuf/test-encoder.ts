/** Test support: a tiny protobuf writer for hand-built messages and Kubernetes envelopes. */

export type Part = Buffer;

export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Buffer.from(out);
}

export function tag(field: number, wireType: number): Buffer {
  return varint(field * 8 + wireType);
}

/** Field `n` as a varint (ints, bools, enums). Negative numbers take ten bytes, as Go writes int32/int64. */
export function int(n: number, value: number | bigint | boolean): Part {
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return Buffer.concat([tag(n, 0), varint(v)]);
}

export function bytes(n: number, value: Uint8Array): Part {
  return Buffer.concat([tag(n, 2), varint(value.length), value]);
}

export function str(n: number, value: string): Part {
  return bytes(n, Buffer.from(value, 'utf8'));
}

export function msg(n: number, ...parts: Part[]): Part {
  return bytes(n, Buffer.concat(parts));
}

export function fixed64(n: number, value: bigint): Part {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, value));
  return Buffer.concat([tag(n, 1), b]);
}

export function fixed32(n: number, value: number): Part {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return Buffer.concat([tag(n, 5), b]);
}

export function group(n: number, ...parts: Part[]): Part {
  return Buffer.concat([tag(n, 3), ...parts, tag(n, 4)]);
}

/** map<string,string> entries. */
export function mapStr(n: number, entries: Record<string, string>): Part {
  return Buffer.concat(Object.entries(entries).map(([k, v]) => msg(n, str(1, k), str(2, v))));
}

/** map<string,Quantity> entries. */
export function mapQty(n: number, entries: Record<string, string>): Part {
  return Buffer.concat(Object.entries(entries).map(([k, v]) => msg(n, str(1, k), msg(2, str(1, v)))));
}

export function intOrString(n: number, value: number | string): Part {
  return typeof value === 'number' ? msg(n, int(1, 0), int(2, value), str(3, '')) : msg(n, int(1, 1), int(2, 0), str(3, value));
}

export function time(n: number, seconds: number, nanos = 0): Part {
  return msg(n, int(1, seconds), int(2, nanos));
}

/** The "k8s\0" magic plus a runtime.Unknown carrying typeMeta and the object's bytes. */
export function envelope(apiVersion: string, kind: string, ...objectParts: Part[]): Buffer {
  return Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    msg(1, str(1, apiVersion), str(2, kind)),
    bytes(2, Buffer.concat(objectParts)),
    str(3, ''),
    str(4, ''),
  ]);
}
