/** Reading request bodies and writing JSON/Status responses the way Kubernetes clients expect them. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { StatusBody } from '../status';
import { StatusError, badRequest, requestEntityTooLarge } from '../status';
import { PROTOBUF_MEDIA_TYPE, decodeKubeProtobuf } from './protobuf/envelope';

/** kube-apiserver's limit on request bodies (--max-request-body-bytes default, 3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Read the whole body, refusing more than MAX_BODY_BYTES without buffering the excess. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(requestEntityTooLarge(`the server has received too large a request body: limit is ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(requestEntityTooLarge(`the server has received too large a request body: limit is ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

/** The media type without parameters, lower-cased. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** Decode a JSON, YAML or Kubernetes-protobuf body into unknown; malformed input is a 400 BadRequest. */
export function decodeBody(buf: Buffer, contentType: string): unknown {
  const type = mediaType(contentType);
  if (type === PROTOBUF_MEDIA_TYPE) return decodeKubeProtobuf(buf);
  const text = buf.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml' || type === 'text/yaml') {
    try {
      const docs = text.split(/^---\s*$/m).filter((d) => d.trim() !== '');
      if (docs.length > 1) throw new Error('multiple YAML documents are not allowed in one request');
      return parseYaml(text, { strict: true, uniqueKeys: true, maxAliasCount: 100 }) as unknown;
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (type === 'application/cbor') {
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_MEDIA_TYPE} (got ${type})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`error decoding the request body as JSON: ${(err as Error).message}`);
  }
}

/** Write a JSON response. kubectl 1.27.0/1.27.1 need the Content-Type to be exactly application/json. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendRawJson(res, code, JSON.stringify(body));
}

export function sendRawJson(res: ServerResponse, code: number, json: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const buf = Buffer.from(json, 'utf8');
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': buf.length,
    'Cache-Control': 'no-cache, private',
  });
  res.end(buf);
}

export function sendStatus(res: ServerResponse, status: StatusBody): void {
  sendJson(res, status.code, status);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const se = err instanceof StatusError ? err : new StatusError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  sendStatus(res, se.toStatus());
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
