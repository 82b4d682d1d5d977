/** Back-pressure: a source is paused while the socket has too much queued, and resumed once it drained. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness';
import { FrameSender } from './frame-sender';

describe('FrameSender', () => {
  it('pauses the source above the high-water mark and resumes it after the flush', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const serverSide = await new Promise<WebSocket>((r) => wss.once('connection', r));
    let received = 0;
    client.on('message', () => received++);
    client.pause(); // the kernel's socket buffers fill up and writes start to queue
    const events: string[] = [];
    const source = { pause: () => events.push('pause'), resume: () => events.push('resume') };
    const sender = new FrameSender(serverSide, 1024);
    for (let i = 0; i < 200; i++) sender.send(1, Buffer.alloc(64 * 1024), source);
    expect(events[0]).toBe('pause');
    expect(events.filter((e) => e === 'pause')).toHaveLength(1);
    client.resume();
    await eventually(() => received === 200 && events.includes('resume'));
    client.close();
    serverSide.terminate();
    expect(sender.send(1, 'late')).toBe(false);
    wss.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
});
