/** Collecting kubectl's remotecommand streams over a SPDY connection on a fake wire, and the protocol rules. */
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness';
import { nonZeroExitStatus, successStatus } from './exec-status';
import { collectCommandStreams, errorStreamPayload, expectedStreamTypes, StreamWaitError } from './spdy-command-streams';
import { SpdyConnection } from './spdy/spdy-connection';
import { RST_PROTOCOL_ERROR } from './spdy/spdy-frames';
import { SpdyTestClient } from './spdy/spdy-test-client';

/** A server connection and a client peer joined by a fake wire. */
function pair(): { conn: SpdyConnection; client: SpdyTestClient; wire: { closed: boolean } } {
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
  return { conn, client, wire };
}

const t = (type: string): Array<[string, string]> => [['streamtype', type]];

describe('remotecommand streams over SPDY', () => {
  it('expects error always, stdin/stdout/stderr as requested, resize with a TTY from v3 on', () => {
    const all = { stdin: true, stdout: true, stderr: true, tty: false };
    expect([...expectedStreamTypes(all, 'v4.channel.k8s.io')]).toEqual(['error', 'stdin', 'stdout', 'stderr']);
    const tty = { stdin: true, stdout: true, stderr: false, tty: true };
    expect([...expectedStreamTypes(tty, 'v4.channel.k8s.io')]).toEqual(['error', 'stdin', 'stdout', 'resize']);
    expect([...expectedStreamTypes(tty, 'v3.channel.k8s.io')]).toEqual(['error', 'stdin', 'stdout', 'resize']);
    expect([...expectedStreamTypes(tty, 'v2.channel.k8s.io')]).toEqual(['error', 'stdin', 'stdout']);
    expect([...expectedStreamTypes({ stdin: false, stdout: true, stderr: false, tty: false }, 'v4.channel.k8s.io')]).toEqual(['error', 'stdout']);
  });

  it('replies to each expected stream and resolves once all are open, keeping early stdin', async () => {
    const { conn, client } = pair();
    const done = collectCommandStreams(conn, new Set(['error', 'stdin', 'stdout']), 1000);
    await client.open(1, t('error'));
    await client.open(3, t('stdin'));
    client.data(3, 'early');
    client.data(3, '', true);
    await client.open(5, t('stdout'));
    const streams = await done;
    expect([streams.error.id, streams.stdin?.id, streams.stdout?.id]).toEqual([1, 3, 5]);
    expect(streams.early).toEqual([
      { type: 'stdin', chunk: Buffer.from('early') },
      { type: 'stdin', chunk: null },
    ]);
    await eventually(async () => {
      await client.settled();
      return [1, 3, 5].every((id) => client.streams.get(id)?.replied);
    });
    // a stream after the set is complete is refused
    await client.open(7, t('stderr'));
    await eventually(async () => {
      await client.settled();
      return client.streams.get(7)?.reset === RST_PROTOCOL_ERROR;
    });
    await client.close();
  });

  it('resets unknown, unrequested and duplicate streams and keeps waiting', async () => {
    const { conn, client } = pair();
    const done = collectCommandStreams(conn, new Set(['error', 'stdout']), 1000);
    await client.open(1, t('bogus'));
    await client.open(3, t('stderr'));
    await client.open(5, t('error'));
    await client.open(7, t('error'));
    await client.open(9, [['other', 'x']]);
    await client.open(11, t('stdout'));
    const streams = await done;
    expect(streams.error.id).toBe(5);
    await client.settled();
    for (const id of [1, 3, 7, 9]) expect(client.streams.get(id)?.reset, `stream ${id}`).toBe(RST_PROTOCOL_ERROR);
    expect(client.streams.get(5)?.reset).toBeUndefined();
    await client.close();
  });

  it('times out with the missing streams named and the error stream to report on', async () => {
    const { conn, client } = pair();
    const started = Date.now();
    const done = collectCommandStreams(conn, new Set(['error', 'stdin', 'stdout']), 200);
    const caught = done.catch((e: unknown) => e);
    await client.open(1, t('error'));
    const err = await caught;
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(err).toBeInstanceOf(StreamWaitError);
    expect((err as StreamWaitError).message).toBe('timed out waiting for client to create streams (missing: stdin, stdout)');
    expect((err as StreamWaitError).errorStream?.id).toBe(1);
    await client.close();
    conn.close();
  });

  it('fails at once when the connection goes away first', async () => {
    const { conn, client } = pair();
    let closedWith = '';
    conn.onClose = (r) => (closedWith = r);
    const done = collectCommandStreams(conn, new Set(['error']), 60_000);
    conn.wireClosed();
    await expect(done).rejects.toThrow('connection closed before the client created its streams: connection closed');
    // the owner's close handler still runs
    expect(closedWith).toBe('connection closed');
    await client.close();
  });

  it('writes the Status as JSON on v4 and as text on v2/v3 (nothing on success)', () => {
    const failed = nonZeroExitStatus(['sh', '-c', 'exit 3'], 3);
    expect(JSON.parse(errorStreamPayload(failed, 'v4.channel.k8s.io')?.toString() ?? '')).toEqual(failed);
    expect(errorStreamPayload(successStatus(), 'v4.channel.k8s.io')?.toString()).toBe('{"metadata":{},"status":"Success"}');
    expect(errorStreamPayload(successStatus(), 'v3.channel.k8s.io')).toBeUndefined();
    expect(errorStreamPayload(failed, 'v2.channel.k8s.io')?.toString()).toBe('command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3');
  });
});
