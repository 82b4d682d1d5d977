/**
 * Kubernetes' protobuf envelope (apimachinery pkg/runtime/serializer/protobuf): the 4-byte magic "k8s\0"
 * followed by a runtime.Unknown message { 1 typeMeta { 1 apiVersion, 2 kind }, 2 raw, 3 contentEncoding,
 * 4 contentType } (apimachinery pkg/runtime/generated.proto), whose `raw` is the object's own message.
 *
 * decodeKubeProtobuf returns the object as JSON would have carried it, with apiVersion and kind taken from
 * the envelope; comparing those to the URL stays the object service's job.
 */
import { StatusError, badRequest } from '../../status';
import { decodeMessage } from './decode';
import { TOP_LEVEL_KINDS, messageDef } from './schema';
import { WIRE_BYTES, WireError, WireReader, decodeUtf8, protobufError } from './wire';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readString(r: WireReader, wireType: number, what: string): string {
  if (wireType !== WIRE_BYTES) throw new WireError(`wrong wire type ${wireType} for ${what}`);
  return decodeUtf8(r.bytes());
}

function readTypeMeta(r: WireReader, env: Envelope): void {
  while (!r.done()) {
    const tag = r.tag();
    if (tag.field === 1) env.apiVersion = readString(r, tag.wireType, 'TypeMeta.apiVersion');
    else if (tag.field === 2) env.kind = readString(r, tag.wireType, 'TypeMeta.kind');
    else r.skip(tag);
  }
}

function readEnvelope(buf: Uint8Array): Envelope {
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '' };
  const r = new WireReader(buf, MAGIC.length);
  while (!r.done()) {
    const tag = r.tag();
    switch (tag.field) {
      case 1:
        if (tag.wireType !== WIRE_BYTES) throw new WireError(`wrong wire type ${tag.wireType} for Unknown.typeMeta`);
        readTypeMeta(r.sub(), env);
        break;
      case 2:
        if (tag.wireType !== WIRE_BYTES) throw new WireError(`wrong wire type ${tag.wireType} for Unknown.raw`);
        env.raw = r.bytes();
        break;
      case 3:
        env.contentEncoding = readString(r, tag.wireType, 'Unknown.contentEncoding');
        break;
      default:
        // 4 contentType and anything newer: the raw bytes are protobuf whatever it says.
        r.skip(tag);
    }
  }
  return env;
}

/** True when the body starts with the "k8s\0" magic of the Kubernetes protobuf serializer. */
export function hasProtobufMagic(buf: Uint8Array): boolean {
  return buf.length >= MAGIC.length && MAGIC.every((b, i) => buf[i] === b);
}

/** Decode a request body sent as application/vnd.kubernetes.protobuf into its JSON-equivalent object. */
export function decodeKubeProtobuf(buf: Uint8Array): Record<string, unknown> {
  if (buf.length === 0) throw badRequest('the request body is empty');
  if (!hasProtobufMagic(buf)) {
    throw badRequest('error decoding the request body as protobuf: the data does not begin with the "k8s\\x00" prefix of a Kubernetes protobuf object');
  }
  try {
    const env = readEnvelope(buf);
    if (env.contentEncoding !== '') {
      throw badRequest(`error decoding the request body as protobuf: unsupported content encoding ${JSON.stringify(env.contentEncoding)}`);
    }
    if (env.kind === '' || env.apiVersion === '') {
      throw badRequest('error decoding the request body as protobuf: the envelope does not name the object\'s apiVersion and kind');
    }
    const gvk = `${env.apiVersion}/${env.kind}`;
    const msg = Object.hasOwn(TOP_LEVEL_KINDS, gvk) ? TOP_LEVEL_KINDS[gvk] : undefined;
    if (msg === undefined) {
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - ${env.kind} (${env.apiVersion}) cannot be sent as protobuf to this server; accepted media types include: application/json, application/yaml`,
      );
    }
    return { apiVersion: env.apiVersion, kind: env.kind, ...decodeMessage(messageDef(msg), env.raw) };
  } catch (err) {
    throw protobufError(err);
  }
}
