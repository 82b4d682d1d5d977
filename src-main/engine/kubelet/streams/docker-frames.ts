/**
 * Docker's multiplexed stream format (stdcopy), used for logs, exec and attach of containers without a TTY:
 * each frame is an 8-byte header [stream, 0, 0, 0, size as uint32 big-endian] and `size` bytes of payload.
 */

export const DOCKER_STDIN = 0;
export const DOCKER_STDOUT = 1;
export const DOCKER_STDERR = 2;
/** errors the daemon itself writes into the stream */
export const DOCKER_SYSTEMERR = 3;

const HEADER = 8;

export interface DockerFrame {
  stream: number;
  payload: Buffer;
}

/** Incremental decoder: feed chunks as they arrive, get the complete frames back. */
export class DockerFrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): DockerFrame[] {
    let buf = this.buffered.length > 0 ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: DockerFrame[] = [];
    while (buf.length >= HEADER) {
      const size = buf.readUInt32BE(4);
      if (buf.length < HEADER + size) break;
      frames.push({ stream: buf[0], payload: buf.subarray(HEADER, HEADER + size) });
      buf = buf.subarray(HEADER + size);
    }
    // copy the remainder so a large chunk is not kept alive by a few trailing bytes
    this.buffered = buf.length > 0 ? Buffer.from(buf) : Buffer.alloc(0);
    return frames;
  }

  /** bytes of an incomplete frame still held */
  get pending(): number {
    return this.buffered.length;
  }
}

/** One frame in Docker's format (tests, and recognising the daemon's own error frames). */
export function encodeDockerFrame(stream: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(HEADER);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/**
 * When `docker exec` cannot start the process (missing or non-executable file), the daemon writes its error,
 * `OCI runtime exec failed: ...\r\n`, as the only output and the stream ends. For a TTY exec it comes raw,
 * or framed when the start request did not say Tty. Returns that message if `chunk` looks like it (the
 * caller confirms with the exec's Pid afterwards).
 */
export function execStartError(chunk: Buffer, multiplexed: boolean): string | undefined {
  let body = chunk;
  const framed = chunk.length >= HEADER && chunk[0] === DOCKER_STDOUT && chunk[1] === 0 && chunk[2] === 0 && chunk[3] === 0 && chunk.readUInt32BE(4) === chunk.length - HEADER;
  if (!multiplexed && framed) body = chunk.subarray(HEADER);
  const text = body.toString('utf8');
  if (!/^(OCI runtime exec failed|exec failed|oci runtime error)/i.test(text)) return undefined;
  return text.replace(/\s+$/, '');
}
