/** Port-forward sessions to local TCP servers over a local WebSocket: several ports, channel layout, closing. */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness';
import { ActiveStreams } from './active-streams';
import { decodeFrame, encodeFrame, portPrefixFrame } from './channel-protocol';
import { runPortForwardSession } from './port-forward-session';

function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('port-forward session', () => {
  const upper = createServer((s) => s.on('data', (d: Buffer) => s.end(d.toString().toUpperCase())));
  const greeter = createServer((s) => s.end('hello'));
  const http = createHttpServer();
  const active = new ActiveStreams();
  let upperPort = 0;
  let greeterPort = 0;
  let wsPort = 0;
  let ports: number[] = [];

  beforeAll(async () => {
    upperPort = await listen(upper);
    greeterPort = await listen(greeter);
    const wss = new WebSocketServer({ noServer: true, handleProtocols: () => 'v4.channel.k8s.io' });
    http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => runPortForwardSession(ws, { host: '127.0.0.1', ports, podLabel: 'sandbox' }, active)));
    wsPort = await listen(http);
  });
  afterAll(async () => {
    http.closeAllConnections();
    for (const s of [upper, greeter, http]) await new Promise<void>((r) => s.close(() => r()));
  });

  it('forwards two ports on channels 0/1 and 2/3 and closes once both targets closed', async () => {
    ports = [greeterPort, upperPort];
    const client = new WebSocket(`ws://127.0.0.1:${wsPort}`, ['v4.channel.k8s.io']);
    const frames: Buffer[] = [];
    client.on('message', (d: Buffer) => frames.push(d));
    await new Promise((r) => client.on('open', r));
    client.send(encodeFrame(2, 'shout'));
    const code = await new Promise<number>((r) => client.on('close', r));
    expect(code).toBe(1000);
    expect(frames.slice(0, 4)).toEqual([portPrefixFrame(0, greeterPort), portPrefixFrame(1, greeterPort), portPrefixFrame(2, upperPort), portPrefixFrame(3, upperPort)]);
    const data = frames.slice(4).map((f) => decodeFrame(f));
    expect(data.filter((f) => f?.channel === 0).map((f) => f?.payload.toString()).join('')).toBe('hello');
    expect(data.filter((f) => f?.channel === 2).map((f) => f?.payload.toString()).join('')).toBe('SHOUT');
    await eventually(() => active.size === 0);
  });

  it('drops the target connections when the client leaves', async () => {
    let targetOpened = false;
    let targetClosed = false;
    const hold = createServer((s) => {
      targetOpened = true;
      s.on('close', () => (targetClosed = true));
    });
    ports = [await listen(hold)];
    const client = new WebSocket(`ws://127.0.0.1:${wsPort}`, ['v4.channel.k8s.io']);
    await new Promise((r) => client.on('open', r));
    await eventually(() => targetOpened);
    client.terminate();
    await eventually(() => targetClosed && active.size === 0);
    await new Promise<void>((r) => hold.close(() => r()));
  });
});
