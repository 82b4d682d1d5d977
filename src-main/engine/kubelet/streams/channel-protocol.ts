/**
 * The Kubernetes WebSocket channel protocol (apimachinery pkg/util/remotecommand and wsstream): every binary
 * message is [channel byte][payload]. Pure framing and subprotocol negotiation; no I/O.
 */

export const STDIN_CHANNEL = 0;
export const STDOUT_CHANNEL = 1;
export const STDERR_CHANNEL = 2;
/** one JSON metav1.Status when the command ends */
export const ERROR_CHANNEL = 3;
/** JSON TerminalSize messages */
export const RESIZE_CHANNEL = 4;
/** v5 only: [255, channel] half-closes that channel */
export const CLOSE_CHANNEL = 255;

export const V5_PROTOCOL = 'v5.channel.k8s.io';
export const V4_PROTOCOL = 'v4.channel.k8s.io';
/** what kubectl 1.31+ offers for port-forward: SPDY framed inside WebSocket messages */
export const SPDY_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** Subprotocols for exec and attach, best first. */
export const REMOTE_COMMAND_PROTOCOLS: readonly string[] = [V5_PROTOCOL, V4_PROTOCOL];
/** Subprotocols for port-forward: v4, as the kubelet's WebSocket port-forward. */
export const PORT_FORWARD_PROTOCOLS: readonly string[] = [V4_PROTOCOL];

export function encodeFrame(channel: number, payload?: Buffer | string): Buffer {
  const body = payload === undefined ? Buffer.alloc(0) : typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const frame = Buffer.allocUnsafe(body.length + 1);
  frame[0] = channel;
  body.copy(frame, 1);
  return frame;
}

export interface ChannelFrame {
  channel: number;
  payload: Buffer;
}

/** undefined for an empty message, which carries no channel */
export function decodeFrame(message: Buffer): ChannelFrame | undefined {
  if (message.length === 0) return undefined;
  return { channel: message[0], payload: message.subarray(1) };
}

/** With v5, the channel a CLOSE frame half-closes; undefined for any other frame or protocol. */
export function closedChannel(frame: ChannelFrame, protocol: string): number | undefined {
  if (protocol !== V5_PROTOCOL || frame.channel !== CLOSE_CHANNEL || frame.payload.length < 1) return undefined;
  return frame.payload[0];
}

/** The comma-separated Sec-WebSocket-Protocol values (the header may be repeated), in the client's order. */
export function parseProtocolHeader(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The first protocol in the client's list that the server supports. */
export function negotiateProtocol(offered: readonly string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}

/** The lowest channel the server writes to: the first frame after the upgrade is an empty one on it. */
export function initialChannel(streams: { stdout: boolean; stderr: boolean }): number {
  if (streams.stdout) return STDOUT_CHANNEL;
  if (streams.stderr) return STDERR_CHANNEL;
  return ERROR_CHANNEL;
}

/** Port-forward channels for the i-th port: data 2i, error 2i+1. */
export function portChannels(index: number): { data: number; error: number } {
  return { data: index * 2, error: index * 2 + 1 };
}

/** The first message on each port-forward channel: the channel byte and the port, uint16 little-endian. */
export function portPrefixFrame(channel: number, port: number): Buffer {
  const frame = Buffer.alloc(3);
  frame[0] = channel;
  frame.writeUInt16LE(port, 1);
  return frame;
}
