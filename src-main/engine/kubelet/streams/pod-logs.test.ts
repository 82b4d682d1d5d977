/** pods/log against real Docker containers, read by real kubectl and @kubernetes/client-node. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually } from '../../test/harness';
import { DEFAULT_KUBECTL, pinnedKubectl, startStreamsTestEnv, type StreamsTestEnv } from './streams-test-env';

const TIMESTAMP_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;

describe('pods/log', () => {
  let env: StreamsTestEnv;

  beforeAll(async () => {
    env = await startStreamsTestEnv();
    const [chatty, old, follow, tty] = await Promise.all([
      env.startContainer({ cmd: ['sh', '-c', 'echo line1; sleep 0.05; echo err1 >&2; sleep 0.05; echo line2; echo line3; exec sleep 3600'] }),
      env.startContainer({ cmd: ['sh', '-c', 'echo previous-run'] }),
      env.startContainer({ cmd: ['sh', '-c', 'echo first; while [ ! -f /tmp/go ]; do sleep 0.05; done; echo after; sleep 0.2'] }),
      env.startContainer({ cmd: ['sh', '-c', 'echo tty-line; exec sleep 3600'], tty: true }),
    ]);
    env.addPod('chatty', { main: { id: chatty, previousId: old }, other: { id: tty } });
    env.addPod('follow', { main: { id: follow } });
    env.addPod('tty', { main: { id: tty } });
    await eventually(async () => (await env.kubectl(DEFAULT_KUBECTL, ['logs', 'chatty'])).stdout.includes('line3'));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('kubectl logs prints stdout and stderr, --tail, --limit-bytes and --timestamps', async () => {
    const all = await env.kubectl(DEFAULT_KUBECTL, ['logs', 'chatty']);
    expect(all).toMatchObject({ code: 0, stdout: 'line1\nerr1\nline2\nline3\n' });
    expect((await env.kubectl(DEFAULT_KUBECTL, ['logs', 'chatty', '--tail=1'])).stdout).toBe('line3\n');
    expect((await env.kubectl(DEFAULT_KUBECTL, ['logs', 'chatty', '--tail=0'])).stdout).toBe('');
    expect((await env.kubectl(DEFAULT_KUBECTL, ['logs', 'chatty', '--limit-bytes=8'])).stdout).toBe('line1\ner');
    const stamped = (await env.kubectl(DEFAULT_KUBECTL, ['logs', 'chatty', '--timestamps'])).stdout.split('\n').filter(Boolean);
    expect(stamped).toHaveLength(4);
    for (const line of stamped) expect(line).toMatch(TIMESTAMP_LINE);
    expect(stamped.map((l) => l.replace(TIMESTAMP_LINE, ''))).toEqual(['line1', 'err1', 'line2', 'line3']);
  });

  it('kubectl logs --previous reads the previous instance, -c picks the container', async () => {
    expect(await env.kubectl(DEFAULT_KUBECTL, ['logs', 'chatty', '--previous'])).toMatchObject({ code: 0, stdout: 'previous-run\n' });
    const missing = await env.kubectl(DEFAULT_KUBECTL, ['logs', 'chatty', '-c', 'other', '--previous']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('previous terminated container "other" in pod "chatty" not found');
  });

  it('returns raw output for a TTY container', async () => {
    expect((await env.kubectl(DEFAULT_KUBECTL, ['logs', 'tty'])).stdout).toBe('tty-line\r\n');
  });

  it('kubectl logs -f sees a line printed after it started and ends when the container stops', async () => {
    const child = spawn(pinnedKubectl(27), ['--cache-dir', join(env.dir, 'kcache'), 'logs', '-f', 'follow'], { env: { ...process.env, KUBECONFIG: env.kubeconfig, HOME: env.dir } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await eventually(() => out === 'first\n');
    const id = (await env.resolver.resolve('default', 'follow', undefined)).id;
    await (await env.docker.getContainer(id).exec({ Cmd: ['touch', '/tmp/go'] })).start({ hijack: true, stdin: false });
    await eventually(() => out === 'first\nafter\n');
    expect(await exited).toBe(0);
    await eventually(() => env.streams.activeSessions() === 0);
  });

  it('client-node Log follows, and aborting it ends the Docker stream', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(env.kubeconfig);
    const sink = new PassThrough();
    let text = '';
    sink.on('data', (d: Buffer) => (text += d.toString()));
    const controller = await new k8s.Log(kc).log('default', 'chatty', 'main', sink, { follow: true, tailLines: 2, timestamps: false });
    await eventually(() => text === 'line2\nline3\n');
    expect(env.streams.activeSessions()).toBe(1);
    controller.abort();
    await eventually(() => env.streams.activeSessions() === 0);
  });

  it('answers bad parameters and unknown containers with a Status', async () => {
    const bad = await api(env, 'GET', '/api/v1/namespaces/default/pods/chatty/log?tailLines=-1');
    expect(bad.status).toBe(422);
    expect(bad.json()).toMatchObject({ kind: 'Status', reason: 'Invalid', message: 'PodLogOptions "chatty" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0' });
    const unparsable = await api(env, 'GET', '/api/v1/namespaces/default/pods/chatty/log?follow=maybe');
    expect(unparsable.status).toBe(400);
    const unknown = await api(env, 'GET', '/api/v1/namespaces/default/pods/chatty/log?container=nope');
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ message: 'container nope is not valid for pod chatty' });
    const noPod = await api(env, 'GET', '/api/v1/namespaces/default/pods/ghost/log');
    expect(noPod.status).toBe(404);
  });

  it('filters by sinceTime and sinceSeconds', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    const none = await api(env, 'GET', `/api/v1/namespaces/default/pods/chatty/log?sinceTime=${encodeURIComponent(future)}`);
    expect(none).toMatchObject({ status: 200, text: '' });
    expect(none.headers['content-type']).toBe('text/plain');
    const recent = await api(env, 'GET', '/api/v1/namespaces/default/pods/chatty/log?sinceSeconds=3600');
    expect(recent.text).toBe('line1\nerr1\nline2\nline3\n');
  });
});
