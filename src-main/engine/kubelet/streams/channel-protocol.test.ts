import { describe, expect, it } from 'vitest';
import {
  closedChannel,
  decodeFrame,
  encodeFrame,
  initialChannel,
  negotiateProtocol,
  parseProtocolHeader,
  portChannels,
  portPrefixFrame,
  PORT_FORWARD_PROTOCOLS,
  REMOTE_COMMAND_PROTOCOLS,
  V4_PROTOCOL,
  V5_PROTOCOL,
} from './channel-protocol';

describe('channel framing', () => {
  it('prefixes the channel byte', () => {
    expect([...encodeFrame(1, 'hi')]).toEqual([1, 0x68, 0x69]);
    expect([...encodeFrame(3)]).toEqual([3]);
    expect(decodeFrame(Buffer.from([0, 0x61]))).toEqual({ channel: 0, payload: Buffer.from('a') });
    expect(decodeFrame(Buffer.alloc(0))).toBeUndefined();
  });

  it('recognises v5 CLOSE frames only under v5', () => {
    const close = decodeFrame(Buffer.from([255, 0]));
    expect(close && closedChannel(close, V5_PROTOCOL)).toBe(0);
    expect(close && closedChannel(close, V4_PROTOCOL)).toBeUndefined();
    const bare = decodeFrame(Buffer.from([255]));
    expect(bare && closedChannel(bare, V5_PROTOCOL)).toBeUndefined();
  });

  it('starts on the lowest output channel', () => {
    expect(initialChannel({ stdout: true, stderr: true })).toBe(1);
    expect(initialChannel({ stdout: false, stderr: true })).toBe(2);
    expect(initialChannel({ stdout: false, stderr: false })).toBe(3);
  });

  it('frames port-forward channels with the port in little-endian', () => {
    expect(portChannels(0)).toEqual({ data: 0, error: 1 });
    expect(portChannels(2)).toEqual({ data: 4, error: 5 });
    expect([...portPrefixFrame(1, 8080)]).toEqual([1, 0x90, 0x1f]);
  });
});

describe('subprotocol negotiation', () => {
  it('takes the first of the client list that is supported', () => {
    const clientNode = parseProtocolHeader('v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io');
    expect(negotiateProtocol(clientNode, REMOTE_COMMAND_PROTOCOLS)).toBe(V5_PROTOCOL);
    expect(negotiateProtocol(clientNode, PORT_FORWARD_PROTOCOLS)).toBe(V4_PROTOCOL);
    expect(negotiateProtocol(parseProtocolHeader(['v4.channel.k8s.io', 'v5.channel.k8s.io']), REMOTE_COMMAND_PROTOCOLS)).toBe(V4_PROTOCOL);
    expect(negotiateProtocol(parseProtocolHeader('base64.channel.k8s.io'), REMOTE_COMMAND_PROTOCOLS)).toBeUndefined();
    expect(negotiateProtocol(parseProtocolHeader(undefined), REMOTE_COMMAND_PROTOCOLS)).toBeUndefined();
    expect(parseProtocolHeader(' a ,, b')).toEqual(['a', 'b']);
  });
});
