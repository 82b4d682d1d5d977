/**
 * Schema-driven decoding of a protobuf message into the object encoding/json would have produced for the
 * same Go value: field names from the field maps, maps as objects, bytes as base64, Quantity as its string,
 * IntOrString as a number or string, Time as RFC 3339. Unknown field numbers are skipped.
 */
import type { FieldDef, MessageDef } from './schema';
import { messageDef } from './schema';
import { WIRE_BYTES, WIRE_VARINT, WireError, WireReader, decodeUtf8 } from './wire';
import type { Tag } from './wire';

type JsonObject = Record<string, unknown>;

/** Field values of one message, merged the way protobuf merges repeated occurrences of a message. */
class Acc {
  readonly values = new Map<FieldDef, unknown>();
  constructor(readonly def: MessageDef) {}
}

/** Marks a zero Time: Go writes it as an empty message and encoding/json as null, so it is left out. */
const ZERO_TIME = Symbol('zero-time');

export function decodeMessage(def: MessageDef, buf: Uint8Array): JsonObject {
  const acc = new Acc(def);
  readInto(acc, new WireReader(buf));
  return assemble(acc);
}

function readInto(acc: Acc, r: WireReader): void {
  while (!r.done()) {
    const tag = r.tag();
    const f = acc.def.byNum.get(tag.field);
    if (f) readField(acc, f, tag, r);
    else r.skip(tag);
  }
}

function wrongWireType(acc: Acc, f: FieldDef, tag: Tag): WireError {
  return new WireError(`wrong wire type ${tag.wireType} for field ${acc.def.name}.${f.name}`);
}

function readField(acc: Acc, f: FieldDef, tag: Tag, r: WireReader): void {
  const { values } = acc;
  if (f.kind === 'msg') {
    if (tag.wireType !== WIRE_BYTES) throw wrongWireType(acc, f, tag);
    const sub = r.sub();
    if (f.repeated) {
      const child = new Acc(messageDef(f.msg));
      readInto(child, sub);
      listOf(values, f).push(child);
    } else {
      let child = values.get(f);
      if (!(child instanceof Acc)) {
        child = new Acc(messageDef(f.msg));
        values.set(f, child);
      }
      readInto(child as Acc, sub);
    }
    return;
  }
  if (f.kind === 'mss' || f.kind === 'msy' || f.kind === 'msq') {
    if (tag.wireType !== WIRE_BYTES) throw wrongWireType(acc, f, tag);
    const [key, value] = readMapEntry(f, r.sub());
    let map = values.get(f);
    if (!(map instanceof Map)) {
      map = new Map<string, unknown>();
      values.set(f, map);
    }
    (map as Map<string, unknown>).set(key, value);
    return;
  }
  if (isVarintKind(f) && tag.wireType === WIRE_BYTES && f.repeated) {
    // A packed repeated scalar: Go's unmarshaller accepts both packed and unpacked encodings.
    const sub = r.sub();
    const list = listOf(values, f);
    while (!sub.done()) list.push(varintValue(f, sub.varint()));
    return;
  }
  const v = readScalar(acc, f, tag, r);
  if (f.repeated) listOf(values, f).push(v);
  else values.set(f, v);
}

function isVarintKind(f: FieldDef): boolean {
  return f.kind === 'b' || f.kind === 'i32' || f.kind === 'i64';
}

function listOf(values: Map<FieldDef, unknown>, f: FieldDef): unknown[] {
  let list = values.get(f);
  if (!Array.isArray(list)) {
    list = [];
    values.set(f, list);
  }
  return list as unknown[];
}

function varintValue(f: FieldDef, v: bigint): unknown {
  if (f.kind === 'b') return v !== 0n;
  if (f.kind === 'i32') return Number(BigInt.asIntN(32, v));
  return int64(v, f.name);
}

function int64(v: bigint, name: string): number {
  const n = BigInt.asIntN(64, v);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new WireError(`field ${name}: integer ${n} is too large`);
  }
  return Number(n);
}

function readScalar(acc: Acc, f: FieldDef, tag: Tag, r: WireReader): unknown {
  if (isVarintKind(f)) {
    if (tag.wireType !== WIRE_VARINT) throw wrongWireType(acc, f, tag);
    return varintValue(f, r.varint());
  }
  if (tag.wireType !== WIRE_BYTES) throw wrongWireType(acc, f, tag);
  switch (f.kind) {
    case 's':
      return decodeUtf8(r.bytes());
    case 'y':
      return Buffer.from(r.bytes()).toString('base64');
    case 'q':
      return readQuantity(r.sub());
    case 'ios':
      return readIntOrString(r.sub());
    case 't':
      return readTime(r.sub());
    default:
      throw new WireError(`field ${acc.def.name}.${f.name}: unsupported kind ${f.kind}`);
  }
}

/** resource.Quantity: { 1 string }. The zero Quantity marshals to JSON as "0". */
function readQuantity(r: WireReader): string {
  let s = '';
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) {
      if (tag.wireType !== WIRE_BYTES) throw new WireError('wrong wire type for Quantity.string');
      s = decodeUtf8(r.bytes());
    } else r.skip(tag);
  }
  return s === '' ? '0' : s;
}

/** intstr.IntOrString: { 1 type (0 int, 1 string), 2 intVal, 3 strVal }. */
function readIntOrString(r: WireReader): number | string {
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1 || tag.field === 2) {
      if (tag.wireType !== WIRE_VARINT) throw new WireError('wrong wire type in IntOrString');
      const v = r.varint();
      if (tag.field === 1) type = v;
      else intVal = Number(BigInt.asIntN(32, v));
    } else if (tag.field === 3) {
      if (tag.wireType !== WIRE_BYTES) throw new WireError('wrong wire type in IntOrString');
      strVal = decodeUtf8(r.bytes());
    } else r.skip(tag);
  }
  if (type === 0n) return intVal;
  if (type === 1n) return strVal;
  throw new WireError(`IntOrString has unknown type ${type}`);
}

/** metav1.Time: { 1 seconds int64, 2 nanos int32 } → RFC 3339 in UTC at second precision, as Go prints it. */
function readTime(r: WireReader): string | typeof ZERO_TIME {
  let seconds = 0;
  let nanos = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1 || tag.field === 2) {
      if (tag.wireType !== WIRE_VARINT) throw new WireError('wrong wire type in Time');
      const v = r.varint();
      if (tag.field === 1) seconds = int64(v, 'Time.seconds');
      else nanos = Number(BigInt.asIntN(32, v));
    } else r.skip(tag);
  }
  if (seconds === 0 && nanos === 0) return ZERO_TIME;
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) throw new WireError(`Time out of range: ${seconds}s`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A map entry: { 1 key, 2 value }; a missing value is the value type's zero. */
function readMapEntry(f: FieldDef, r: WireReader): [string, unknown] {
  let key = '';
  let value: unknown = f.kind === 'msq' ? '0' : '';
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field !== 1 && tag.field !== 2) {
      r.skip(tag);
      continue;
    }
    if (tag.wireType !== WIRE_BYTES) throw new WireError(`wrong wire type in map entry of ${f.name}`);
    if (tag.field === 1) key = decodeUtf8(r.bytes());
    else if (f.kind === 'mss') value = decodeUtf8(r.bytes());
    else if (f.kind === 'msy') value = Buffer.from(r.bytes()).toString('base64');
    else value = readQuantity(r.sub());
  }
  return [key, value];
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function assemble(acc: Acc): JsonObject {
  const out: JsonObject = {};
  for (const f of acc.def.fields) {
    if (!acc.values.has(f)) continue;
    const v = acc.values.get(f);
    if (f.kind === 'msg') {
      if (f.repeated) out[f.name] = (v as Acc[]).map(assemble);
      else if (f.inline) Object.assign(out, assemble(v as Acc));
      else out[f.name] = assemble(v as Acc);
    } else if (v instanceof Map) {
      out[f.name] = Object.fromEntries(v as Map<string, unknown>);
    } else if (f.repeated) {
      out[f.name] = v;
    } else if (v === ZERO_TIME) {
      continue;
    } else if (f.kind === 'q' || f.kind === 'ios' || f.pointer || f.keepZero || !isZero(v)) {
      // Quantity and IntOrString are Go structs: encoding/json writes them even when zero.
      out[f.name] = v;
    }
  }
  return out;
}
