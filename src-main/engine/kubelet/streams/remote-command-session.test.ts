/** The exec/attach session logic against a fake process, over a real local WebSocket (no Docker, no TLS). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness';
import { ActiveStreams } from './active-streams';
import { decodeFrame, encodeFrame } from './channel-protocol';
import { encodeDockerFrame } from './docker-frames';
import type { RemoteCommandOptions } from './exec-options';
import { nonZeroExitStatus, successStatus } from './exec-status';
import type { RemoteProcess, RemoteProcessResult } from './remote-process';
import { runRemoteCommand } from './remote-command-session';
import type { TerminalSize } from './resize-decoder';
import { WebSocketCommandChannels } from './websocket-command-channels';

class FakeProcess implements RemoteProcess {
  readonly stdin = true;
  readonly mayFailToStart = true;
  readonly written: string[] = [];
  readonly resizes: TerminalSize[] = [];
  stdinEnded = false;
  destroyed = false;
  result: RemoteProcessResult = { status: successStatus(), startFailed: false };
  readonly conn: Duplex;

  constructor(
    readonly multiplexed: boolean,
    readonly tty = false,
  ) {
    this.conn = new Duplex({
      read: () => undefined,
      write: (chunk: Buffer, _enc, cb) => {
        this.written.push(chunk.toString());
        cb();
      },
      final: (cb) => {
        this.stdinEnded = true;
        cb();
      },
      destroy: (_err, cb) => {
        this.destroyed = true;
        cb(null);
      },
    });
  }
  start = (): Promise<Duplex> => Promise.resolve(this.conn);
  resize = (size: TerminalSize): Promise<void> => {
    this.resizes.push(size);
    return Promise.resolve();
  };
  finish = (): Promise<RemoteProcessResult> => Promise.resolve(this.result);
}

const streams = (o: Partial<RemoteCommandOptions> = {}): RemoteCommandOptions => ({ container: undefined, command: ['x'], stdin: true, stdout: true, stderr: true, tty: false, ...o });

interface Harness {
  client: WebSocket;
  frames: Array<[number, string]>;
  closed: Promise<number>;
  active: ActiveStreams;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function connect(proc: FakeProcess, opts: RemoteCommandOptions, protocol: string): Promise<Harness> {
  const active = new ActiveStreams();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => [...p][0] ?? false });
  server = createServer();
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => runRemoteCommand(new WebSocketCommandChannels(ws, opts), opts, proc, active)));
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, [protocol]);
  const frames: Array<[number, string]> = [];
  client.on('message', (d: Buffer) => {
    const f = decodeFrame(d);
    if (f) frames.push([f.channel, f.payload.toString()]);
  });
  const closed = new Promise<number>((r) => client.on('close', r));
  await new Promise((r) => client.on('open', r));
  return { client, frames, closed, active };
}

describe('remote command session', () => {
  it('routes output, stdin and v5 CLOSE, then sends the status and closes with 1000', async () => {
    const proc = new FakeProcess(true);
    proc.result = { status: nonZeroExitStatus(['x'], 2), startFailed: false };
    const h = await connect(proc, streams(), 'v5.channel.k8s.io');
    h.client.send(encodeFrame(0, 'input'));
    await eventually(() => proc.written.join('') === 'input');
    h.client.send(Buffer.from([255, 0]));
    await eventually(() => proc.stdinEnded);
    proc.conn.push(Buffer.concat([encodeDockerFrame(1, 'out'), encodeDockerFrame(2, 'err')]));
    proc.conn.push(null);
    expect(await h.closed).toBe(1000);
    expect(h.frames).toEqual([
      [1, ''],
      [1, 'out'],
      [2, 'err'],
      [3, JSON.stringify(nonZeroExitStatus(['x'], 2))],
    ]);
    await eventually(() => h.active.size === 0);
  });

  it('does not take [255, 0] for a CLOSE under v4, nor send unrequested channels', async () => {
    const proc = new FakeProcess(true);
    const h = await connect(proc, streams({ stderr: false }), 'v4.channel.k8s.io');
    h.client.send(Buffer.from([255, 0]));
    h.client.send(encodeFrame(0, 'after'));
    await eventually(() => proc.written.join('') === 'after');
    expect(proc.stdinEnded).toBe(false);
    proc.conn.push(Buffer.concat([encodeDockerFrame(2, 'hidden'), encodeDockerFrame(1, 'shown')]));
    proc.conn.push(null);
    await h.closed;
    expect(h.frames.map(([c]) => c)).toEqual([1, 1, 3]);
  });

  it('turns Docker\'s "could not start" text into stderr before the status', async () => {
    const proc = new FakeProcess(true);
    proc.result = { status: nonZeroExitStatus(['nope'], 127, 'OCI runtime exec failed: boom'), startFailed: true };
    const h = await connect(proc, streams(), 'v5.channel.k8s.io');
    proc.conn.push(encodeDockerFrame(1, 'OCI runtime exec failed: boom\r\n'));
    proc.conn.push(null);
    await h.closed;
    expect(h.frames.slice(0, 2)).toEqual([
      [1, ''],
      [2, 'OCI runtime exec failed: boom\r\n'],
    ]);
    expect(h.frames[2][0]).toBe(3);
  });

  it('passes the same text on as output when the process did start', async () => {
    const proc = new FakeProcess(false, true);
    const h = await connect(proc, streams({ tty: true, stderr: false }), 'v5.channel.k8s.io');
    proc.conn.push(Buffer.from('OCI runtime exec failed: just a message\r\n'));
    proc.conn.push(null);
    await h.closed;
    expect(h.frames).toEqual([
      [1, ''],
      [1, 'OCI runtime exec failed: just a message\r\n'],
      [3, '{"metadata":{},"status":"Success"}'],
    ]);
  });

  it('resizes only a TTY and ignores stdin EOF there (Docker would end the session)', async () => {
    const proc = new FakeProcess(false, true);
    const h = await connect(proc, streams({ tty: true, stderr: false }), 'v5.channel.k8s.io');
    h.client.send(encodeFrame(4, '{"Width":80,"Height":24}'));
    h.client.send(Buffer.from([255, 0]));
    await eventually(() => proc.resizes.length === 1);
    expect(proc.resizes).toEqual([{ width: 80, height: 24 }]);
    expect(proc.stdinEnded).toBe(false);
    proc.conn.push(null);
    await h.closed;
  });

  it('applies resizes in order, one at a time: a retried first size never undoes a newer one', async () => {
    const proc = new FakeProcess(false, true);
    // Docker refuses the first resize (the process is not running yet) and answers the others slowly.
    const applied: TerminalSize[] = [];
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    proc.resize = async (size: TerminalSize): Promise<void> => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      if (calls === 1) throw new Error('container is not running');
      applied.push(size);
    };
    const h = await connect(proc, streams({ tty: true, stderr: false }), 'v5.channel.k8s.io');
    h.client.send(encodeFrame(4, '{"Width":80,"Height":24}'));
    await new Promise((r) => setTimeout(r, 5));
    h.client.send(encodeFrame(4, '{"Width":100,"Height":30}'));
    h.client.send(encodeFrame(4, '{"Width":120,"Height":40}'));
    await eventually(() => applied.length > 0 && applied[applied.length - 1].width === 120, 2000);
    await new Promise((r) => setTimeout(r, 200)); // a late retry of 80×24 would land here
    // the refused first size is not retried once newer ones wait; the others land in order
    expect(applied).toEqual([
      { width: 100, height: 30 },
      { width: 120, height: 40 },
    ]);
    expect(maxInFlight).toBe(1);
    proc.conn.push(null);
    await h.closed;
  });

  it('retries a refused resize once when no newer size is waiting', async () => {
    const proc = new FakeProcess(false, true);
    const applied: TerminalSize[] = [];
    let calls = 0;
    proc.resize = (size: TerminalSize): Promise<void> => {
      calls++;
      if (calls === 1) return Promise.reject(new Error('container is not running'));
      applied.push(size);
      return Promise.resolve();
    };
    const h = await connect(proc, streams({ tty: true, stderr: false }), 'v5.channel.k8s.io');
    h.client.send(encodeFrame(4, '{"Width":80,"Height":24}'));
    await eventually(() => applied.length === 1, 2000);
    expect(applied).toEqual([{ width: 80, height: 24 }]);
    proc.conn.push(null);
    await h.closed;
  });

  it('closes the Docker connection when the client leaves', async () => {
    const proc = new FakeProcess(true);
    const h = await connect(proc, streams(), 'v5.channel.k8s.io');
    expect(h.active.size).toBe(1);
    h.client.terminate();
    await eventually(() => proc.destroyed && h.active.size === 0);
  });
});
