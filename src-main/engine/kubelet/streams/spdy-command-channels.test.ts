/** The exec/attach session over SPDY streams, against a fake process and a client peer on a fake wire. */
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness';
import { ActiveStreams } from './active-streams';
import { encodeDockerFrame } from './docker-frames';
import type { RemoteCommandOptions } from './exec-options';
import { nonZeroExitStatus, successStatus } from './exec-status';
import { runRemoteCommand } from './remote-command-session';
import type { RemoteProcess, RemoteProcessResult } from './remote-process';
import type { TerminalSize } from './resize-decoder';
import { SpdyCommandChannels } from './spdy-command-channels';
import { collectCommandStreams, expectedStreamTypes } from './spdy-command-streams';
import { SpdyConnection } from './spdy/spdy-connection';
import { GOAWAY_OK } from './spdy/spdy-frames';
import { SpdyTestClient } from './spdy/spdy-test-client';

class FakeProcess implements RemoteProcess {
  readonly stdin = true;
  readonly mayFailToStart = false;
  readonly written: string[] = [];
  readonly resizes: TerminalSize[] = [];
  stdinEnded = false;
  result: RemoteProcessResult = { status: successStatus(), startFailed: false };
  readonly conn = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _enc, cb) => {
      this.written.push(chunk.toString());
      cb();
    },
    final: (cb) => {
      this.stdinEnded = true;
      cb();
    },
  });
  private release: () => void = () => undefined;
  private readonly started = new Promise<void>((r) => (this.release = r));

  constructor(
    readonly multiplexed: boolean,
    readonly tty: boolean,
  ) {}

  /** start() resolves only when the test says so: input must wait for it */
  go(): void {
    this.release();
  }
  start = async (): Promise<Duplex> => {
    await this.started;
    return this.conn;
  };
  resize = (size: TerminalSize): Promise<void> => {
    this.resizes.push(size);
    return Promise.resolve();
  };
  finish = (): Promise<RemoteProcessResult> => Promise.resolve(this.result);
}

const opts = (o: Partial<RemoteCommandOptions> = {}): RemoteCommandOptions => ({ container: undefined, command: ['x'], stdin: true, stdout: true, stderr: true, tty: false, ...o });

async function session(proc: FakeProcess, o: RemoteCommandOptions, protocol: string, types: string[]) {
  const wire = { closed: false };
  const peer: { client?: SpdyTestClient } = {};
  const conn = new SpdyConnection({
    write: (b) => {
      peer.client?.push(b);
      return true;
    },
    pause: () => undefined,
    resume: () => undefined,
    close: () => (wire.closed = true),
  });
  const client = new SpdyTestClient((b) => conn.receive(b));
  peer.client = client;
  const active = new ActiveStreams();
  const collected = collectCommandStreams(conn, expectedStreamTypes(o, protocol), 1000);
  for (const [i, type] of types.entries()) await client.open(1 + 2 * i, [['streamtype', type]]);
  runRemoteCommand(new SpdyCommandChannels(conn, await collected, protocol), o, proc, active);
  return { conn, client, wire, active };
}

describe('exec/attach session over SPDY', () => {
  it('holds stdin until the process started, passes FIN on as stdin EOF, and ends with the v4 Status, FINs and GOAWAY', async () => {
    const proc = new FakeProcess(true, false);
    const s = await session(proc, opts(), 'v4.channel.k8s.io', ['error', 'stdin', 'stdout', 'stderr']);
    s.client.data(3, 'one ');
    s.client.data(3, 'two', true);
    await new Promise((r) => setTimeout(r, 50));
    expect(proc.written).toEqual([]);
    proc.go();
    await eventually(() => proc.stdinEnded);
    expect(proc.written.join('')).toBe('one two');
    expect(s.active.size).toBe(1);
    proc.conn.push(encodeDockerFrame(1, 'out\n'));
    proc.conn.push(encodeDockerFrame(2, 'err\n'));
    proc.result = { status: nonZeroExitStatus(['x'], 3), startFailed: false };
    proc.conn.push(null);
    await eventually(() => s.wire.closed);
    await s.client.settled();
    expect(s.client.text(5)).toBe('out\n');
    expect(s.client.text(7)).toBe('err\n');
    expect(JSON.parse(s.client.text(1))).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    expect([1, 5, 7].map((id) => s.client.streams.get(id)?.fin)).toEqual([true, true, true]);
    expect(s.client.goAway).toEqual({ lastGoodStreamId: 7, status: GOAWAY_OK });
    expect(s.active.size).toBe(0);
    await s.client.close();
  });

  it('parses resize JSON split across and packed into DATA frames, in either spelling', async () => {
    const proc = new FakeProcess(false, true);
    const s = await session(proc, opts({ tty: true, stderr: false }), 'v4.channel.k8s.io', ['error', 'stdin', 'stdout', 'resize']);
    proc.go();
    s.client.data(7, '{"Width":100,');
    s.client.data(7, '"Height":30}\n{"height":31,"width":101}\n');
    s.client.data(7, '{"Width":0,"Height":5}\nnot json\n');
    s.client.data(7, '{"Width":120,"Height":40}\n');
    // a zero side is skipped (as the kubelet does); garbage is dropped and the next size still parses
    await eventually(() => proc.resizes.length === 3);
    expect(proc.resizes).toEqual([
      { width: 100, height: 30 },
      { width: 101, height: 31 },
      { width: 120, height: 40 },
    ]);
    // stdin EOF with a TTY does not end the session (Docker would)
    s.client.data(3, '', true);
    await new Promise((r) => setTimeout(r, 20));
    expect(proc.stdinEnded).toBe(false);
    proc.conn.push(null);
    await eventually(() => s.wire.closed);
    await s.client.settled();
    expect(s.client.text(1)).toBe('{"metadata":{},"status":"Success"}');
    await s.client.close();
  });

  it('v3: nothing on the error stream on success, the message as text on failure', async () => {
    const ok = new FakeProcess(true, false);
    const a = await session(ok, opts({ stdin: false, stderr: false }), 'v3.channel.k8s.io', ['error', 'stdout']);
    ok.go();
    ok.conn.push(null);
    await eventually(() => a.wire.closed);
    await a.client.settled();
    expect(a.client.text(1)).toBe('');
    expect(a.client.streams.get(1)?.fin).toBe(true);
    await a.client.close();

    const bad = new FakeProcess(true, false);
    bad.result = { status: nonZeroExitStatus(['x'], 2), startFailed: false };
    const b = await session(bad, opts({ stdin: false, stderr: false }), 'v3.channel.k8s.io', ['error', 'stdout']);
    bad.go();
    bad.conn.push(null);
    await eventually(() => b.wire.closed);
    await b.client.settled();
    expect(b.client.text(1)).toBe('command terminated with non-zero exit code: error executing command [x], exit code 2');
    await b.client.close();
  });

  it('a client that goes away ends the session and its Docker connection', async () => {
    const proc = new FakeProcess(true, false);
    const s = await session(proc, opts(), 'v4.channel.k8s.io', ['error', 'stdin', 'stdout', 'stderr']);
    proc.go();
    await eventually(() => s.active.size === 1);
    s.conn.wireClosed();
    await eventually(() => proc.conn.destroyed && s.active.size === 0);
    await s.client.close();
  });
});
