import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerEventStream, parseDockerEvent, type ContainerEvent } from './docker-events';

const line = (action: string, uid = 'u1'): string =>
  JSON.stringify({ Type: 'container', Action: action, Actor: { ID: 'c1', Attributes: { 'dev.skiff.pod-uid': uid, 'dev.skiff.cluster': 'x' } } });

describe('parseDockerEvent', () => {
  it('keeps lifecycle events of pod containers and drops the rest', () => {
    expect(parseDockerEvent(line('die'))).toEqual({ podUid: 'u1', action: 'die', containerId: 'c1' });
    expect(parseDockerEvent(line('destroy'))?.action).toBe('destroy');
    expect(parseDockerEvent(line('exec_start: sh -c true'))).toBeUndefined();
    expect(parseDockerEvent(line('exec_die'))).toBeUndefined();
    expect(parseDockerEvent(line('die', ''))).toBeUndefined();
    expect(parseDockerEvent(JSON.stringify({ Type: 'network', Action: 'connect' }))).toBeUndefined();
    expect(parseDockerEvent('not json')).toBeUndefined();
  });
});

describe('DockerEventStream', () => {
  it('splits the stream into events and reconnects after it ends, reporting each connection', async () => {
    const streams: PassThrough[] = [];
    let failNext = false;
    const filters: unknown[] = [];
    const docker = {
      getEvents: (opts: { filters: unknown }) => {
        filters.push(opts.filters);
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('connect ENOENT'));
        }
        const s = new PassThrough();
        streams.push(s);
        return Promise.resolve(s);
      },
    } as unknown as Docker;
    const events: ContainerEvent[] = [];
    let connects = 0;
    const stream = new DockerEventStream({ docker, clusterId: 'x', reconnectMs: 10, onEvent: (e) => events.push(e), onConnect: () => connects++ });
    stream.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(connects).toBe(1);
    expect(filters[0]).toEqual({ type: ['container'], label: ['dev.skiff.cluster=x'] });
    const first = `${line('start')}\n${line('die', 'u2')}`;
    streams[0].write(first.slice(0, 30));
    streams[0].write(`${first.slice(30)}\n`);
    await new Promise((r) => setTimeout(r, 10));
    expect(events.map((e) => [e.podUid, e.action])).toEqual([
      ['u1', 'start'],
      ['u2', 'die'],
    ]);
    failNext = true;
    streams[0].end();
    streams[0].resume();
    await new Promise((r) => setTimeout(r, 100));
    expect(connects).toBe(2);
    expect(streams).toHaveLength(2);
    stream.stop();
    expect(streams[1].destroyed).toBe(true);
  });
});
