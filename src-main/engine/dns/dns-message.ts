/**
 * The part of the DNS wire format (RFC 1035) the cluster DNS needs: parse a query (header, one question,
 * compressed names), build a response with A/CNAME answers. Hand-written and bounds-checked: a malformed
 * packet is a DnsFormatError, never an exception from a Buffer read.
 */

export const TYPE_A = 1;
export const TYPE_CNAME = 5;
export const TYPE_SOA = 6;
export const TYPE_PTR = 12;
export const TYPE_AAAA = 28;
export const TYPE_SRV = 33;
export const TYPE_ANY = 255;
export const CLASS_IN = 1;

export const RCODE_NOERROR = 0;
export const RCODE_FORMERR = 1;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;
export const RCODE_NOTIMP = 4;

const HEADER_LENGTH = 12;
const MAX_NAME_LENGTH = 255;
const MAX_LABEL_LENGTH = 63;

export class DnsFormatError extends Error {}

export interface DnsQuestion {
  /** lower-case, no trailing dot ("" is the root) */
  name: string;
  type: number;
  class: number;
}

export interface DnsQuery {
  id: number;
  /** opcode (0 = QUERY) */
  opcode: number;
  recursionDesired: boolean;
  /** the first question; a query without one is a DnsFormatError */
  question: DnsQuestion;
  /** how many questions the header announced (we answer only single-question queries) */
  questionCount: number;
  /** whether the QR bit was set (a response, not a query) */
  isResponse: boolean;
}

export interface DnsAnswer {
  name: string;
  type: number;
  ttl: number;
  /** an IPv4 address for A, a name for CNAME/PTR */
  data: string;
}

/** Reads a possibly compressed name at `offset`; returns it and the offset after it. */
export function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  let jumps = 0;
  let length = 0;
  for (;;) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the end of the packet');
    const len = buf[pos];
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsFormatError('truncated compression pointer');
      if (++jumps > 16) throw new DnsFormatError('compression pointer loop');
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1];
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsFormatError('unsupported label type');
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if (pos + 1 + len > buf.length) throw new DnsFormatError('label runs past the end of the packet');
    length += len + 1;
    if (length > MAX_NAME_LENGTH) throw new DnsFormatError('name longer than 255 octets');
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), next };
}

/** Parses a query. Throws DnsFormatError for what is not a well-formed DNS message with a question. */
export function parseQuery(buf: Buffer): DnsQuery {
  if (buf.length < HEADER_LENGTH) throw new DnsFormatError(`packet of ${buf.length} bytes is shorter than a DNS header`);
  const flags = buf.readUInt16BE(2);
  const questionCount = buf.readUInt16BE(4);
  if (questionCount === 0) throw new DnsFormatError('query without a question');
  const { name, next } = readName(buf, HEADER_LENGTH);
  if (next + 4 > buf.length) throw new DnsFormatError('question runs past the end of the packet');
  return {
    id: buf.readUInt16BE(0),
    opcode: (flags >> 11) & 0xf,
    recursionDesired: (flags & 0x0100) !== 0,
    isResponse: (flags & 0x8000) !== 0,
    questionCount,
    question: { name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) },
  };
}

/** The id of a packet that may not parse (to answer FORMERR with it), or undefined when too short. */
export function packetId(buf: Buffer): number | undefined {
  return buf.length >= 2 ? buf.readUInt16BE(0) : undefined;
}

export function encodeName(name: string): Buffer {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return Buffer.from([0]);
  const parts: Buffer[] = [];
  for (const label of trimmed.split('.')) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length === 0 || bytes.length > MAX_LABEL_LENGTH) throw new DnsFormatError(`invalid label in ${JSON.stringify(name)}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > MAX_NAME_LENGTH) throw new DnsFormatError('name longer than 255 octets');
  return out;
}

function encodeIPv4(ip: string): Buffer {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new DnsFormatError(`not an IPv4 address: ${ip}`);
  return Buffer.from(parts);
}

function encodeAnswer(a: DnsAnswer): Buffer {
  const rdata = a.type === TYPE_A ? encodeIPv4(a.data) : encodeName(a.data);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(a.type, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(a.ttl >>> 0, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(a.name), fixed, rdata]);
}

export interface ResponseOptions {
  rcode: number;
  answers?: DnsAnswer[];
  /** authoritative (names of the cluster domain) */
  authoritative?: boolean;
}

/** A response to `query`, echoing its question. */
export function buildResponse(query: Pick<DnsQuery, 'id' | 'opcode' | 'recursionDesired'> & { question?: DnsQuestion }, opts: ResponseOptions): Buffer {
  const answers = opts.answers ?? [];
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt16BE(query.id, 0);
  let flags = 0x8000 | ((query.opcode & 0xf) << 11) | 0x0080 | (opts.rcode & 0xf);
  if (opts.authoritative) flags |= 0x0400;
  if (query.recursionDesired) flags |= 0x0100;
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(query.question ? 1 : 0, 4);
  header.writeUInt16BE(answers.length, 6);
  const parts: Buffer[] = [header];
  if (query.question) {
    const q = Buffer.alloc(4);
    q.writeUInt16BE(query.question.type, 0);
    q.writeUInt16BE(query.question.class, 2);
    parts.push(encodeName(query.question.name), q);
  }
  for (const a of answers) parts.push(encodeAnswer(a));
  return Buffer.concat(parts);
}

/** A minimal query (tests, benchmarks and the health check). */
export function buildQuery(id: number, name: string, type: number): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const q = Buffer.alloc(4);
  q.writeUInt16BE(type, 0);
  q.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeName(name), q]);
}

/** Parses the answers of a response (tests): A as dotted quads, CNAME/PTR as names. */
export function parseResponse(buf: Buffer): { id: number; rcode: number; authoritative: boolean; answers: DnsAnswer[] } {
  if (buf.length < HEADER_LENGTH) throw new DnsFormatError('short response');
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let pos = HEADER_LENGTH;
  for (let i = 0; i < qd; i++) pos = readName(buf, pos).next + 4;
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < an; i++) {
    const { name, next } = readName(buf, pos);
    if (next + 10 > buf.length) throw new DnsFormatError('truncated answer');
    const type = buf.readUInt16BE(next);
    const ttl = buf.readUInt32BE(next + 4);
    const len = buf.readUInt16BE(next + 8);
    const start = next + 10;
    if (start + len > buf.length) throw new DnsFormatError('truncated rdata');
    const data = type === TYPE_A ? [...buf.subarray(start, start + 4)].join('.') : type === TYPE_CNAME || type === TYPE_PTR ? readName(buf, start).name : buf.subarray(start, start + len).toString('hex');
    answers.push({ name, type, ttl, data });
    pos = start + len;
  }
  return { id: buf.readUInt16BE(0), rcode: flags & 0xf, authoritative: (flags & 0x0400) !== 0, answers };
}
