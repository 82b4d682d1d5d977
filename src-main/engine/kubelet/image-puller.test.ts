import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ImagePuller, PullProgress, pullPolicy } from './image-puller';

/** A Docker stand-in with a set of present images and a pull that fails or adds the image. */
function fakeDocker(present: Set<string>, pullFails: () => string | undefined): Docker {
  return {
    getImage: (name: string) => ({
      inspect: () => (present.has(name) ? Promise.resolve({ Id: `sha256:${name}`, Size: 1234, Config: { User: 'app' } }) : Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 }))),
    }),
    pull: (name: string) => {
      const error = pullFails();
      if (error) return Promise.reject(Object.assign(new Error(error), { statusCode: 500, json: { message: error } }));
      present.add(name);
      const s = new PassThrough();
      s.end();
      return Promise.resolve(s);
    },
    modem: { followProgress: (_s: unknown, done: (err: Error | null, out: unknown[]) => void) => done(null, [{ status: 'Downloaded' }]) },
  } as unknown as Docker;
}

describe('pullPolicy', () => {
  it('defaults like the API server', () => {
    expect(pullPolicy({ image: 'nginx' })).toBe('Always');
    expect(pullPolicy({ image: 'nginx:latest' })).toBe('Always');
    expect(pullPolicy({ image: 'nginx:1.25' })).toBe('IfNotPresent');
    expect(pullPolicy({ image: 'nginx@sha256:abc' })).toBe('IfNotPresent');
    expect(pullPolicy({ image: 'nginx', imagePullPolicy: 'Never' })).toBe('Never');
  });
});

describe('ImagePuller', () => {
  it('uses a present image without pulling under IfNotPresent, and refuses a missing one under Never', async () => {
    const events: string[] = [];
    const puller = new ImagePuller({ docker: fakeDocker(new Set(['a:1']), () => 'unexpected pull') });
    expect(await puller.ensure({ image: 'a:1' }, 'u', (t, r, m) => events.push(`${r}: ${m}`))).toEqual({ ok: true, imageId: 'sha256:a:1', imageUser: 'app' });
    expect(events).toEqual(['Pulled: Container image "a:1" already present on machine']);
    const never = await puller.ensure({ image: 'b:1', imagePullPolicy: 'Never' }, 'u', (t, r, m) => events.push(`${r}: ${m}`));
    expect(never).toEqual({ ok: false, reason: 'ErrImageNeverPull', message: 'Container image "b:1" is not present with pull policy of Never' });
  });

  it('pulls with Pulling/Pulled events', async () => {
    const events: string[] = [];
    let t = 0;
    const puller = new ImagePuller({ docker: fakeDocker(new Set(), () => undefined), now: () => (t += 600) });
    const r = await puller.ensure({ image: 'c:1' }, 'u', (_t, reason, m) => events.push(`${reason}: ${m}`));
    expect(r.ok).toBe(true);
    expect(events).toEqual(['Pulling: Pulling image "c:1"', 'Pulled: Successfully pulled image "c:1" in 600ms (600ms including waiting). Image size: 1234 bytes.']);
  });

  it('reports ErrImagePull, then ImagePullBackOff until the back-off passes, doubling it after each failure', async () => {
    let now = 0;
    const reasons: string[] = [];
    const puller = new ImagePuller({ docker: fakeDocker(new Set(), () => 'connection refused'), backoffBaseMs: 1000, now: () => now });
    const attempt = async (): Promise<string> => {
      const r = await puller.ensure({ image: 'd:1' }, 'u', (_t, reason) => reasons.push(reason));
      return r.ok ? 'ok' : `${r.reason} ${r.retryInMs ?? ''}`;
    };
    expect(await attempt()).toBe('ErrImagePull 1000');
    now = 500;
    expect(await attempt()).toBe('ImagePullBackOff 500');
    now = 1000;
    expect(await attempt()).toBe('ErrImagePull 2000');
    now = 2500;
    expect(await attempt()).toBe('ImagePullBackOff 500');
    expect(reasons).toEqual(['Pulling', 'Failed', 'BackOff', 'Pulling', 'Failed', 'BackOff']);
    // another pod has its own back-off
    expect((await puller.ensure({ image: 'd:1' }, 'other', () => undefined)).ok).toBe(false);
  });
});

describe('PullProgress', () => {
  it('sums layers into one line at most once a second, and passes the final status through', () => {
    let t = 0;
    const p = new PullProgress(() => t);
    expect(p.add({ id: 'aaaaaaaaaaaa', status: 'Pulling fs layer' })).toBe('downloading 0.0 of 0.0 MB (0 of 1 layers done)');
    t = 200;
    expect(p.add({ id: 'bbbbbbbbbbbb', status: 'Downloading', progressDetail: { current: 1_000_000, total: 4_000_000 } })).toBeUndefined();
    t = 1200;
    expect(p.add({ id: 'aaaaaaaaaaaa', status: 'Downloading', progressDetail: { current: 500_000, total: 2_000_000 } })).toBe('downloading 1.5 of 6.0 MB (0 of 2 layers done)');
    t = 2300;
    expect(p.add({ id: 'aaaaaaaaaaaa', status: 'Pull complete' })).toBe('downloading 3.0 of 6.0 MB (1 of 2 layers done)');
    t = 2400;
    expect(p.add({ status: 'Status: Downloaded newer image for busybox:1.37' })).toBe('Status: Downloaded newer image for busybox:1.37');
  });
});
