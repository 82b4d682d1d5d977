import { describe, expect, it } from 'vitest';
import type { ProbeAction } from './probe-action';
import type { ProbeRunner } from './probe-worker';
import { hookOf, runHook } from './lifecycle-hooks';

const target = { podIP: '10.0.0.2', containerId: 'c1' };

describe('lifecycle hooks', () => {
  it('finds the hooks of a container', () => {
    expect(hookOf({ lifecycle: { preStop: { sleep: { seconds: 1 } } } }, 'preStop')).toEqual({ sleep: { seconds: 1 } });
    expect(hookOf({}, 'postStart')).toBeUndefined();
  });

  it('runs exec and httpGet handlers and words failures as the kubelet does', async () => {
    const seen: ProbeAction[] = [];
    const failing: ProbeRunner = (action) => {
      seen.push(action);
      return Promise.resolve({ result: 'failure', output: 'command exited 3\n' });
    };
    const execError = await runHook({ exec: { command: ['sh', '-c', 'exit 3'] } }, { name: 'c' }, target, failing, 1000, 'p_ns(u)');
    expect(execError).toBe('Exec lifecycle hook ([sh -c exit 3]) for Container "c" in Pod "p_ns(u)" failed - error: command exited 3');
    const httpError = await runHook({ httpGet: { path: '/stop', port: 'web' } }, { name: 'c', ports: [{ name: 'web', containerPort: 8080 }] }, target, failing, 1000, 'p_ns(u)');
    expect(httpError).toBe('HTTP lifecycle hook (/stop) for Container "c" in Pod "p_ns(u)" failed - error: command exited 3');
    expect(seen[1]).toMatchObject({ type: 'http', port: 8080, path: '/stop' });
    const ok: ProbeRunner = () => Promise.resolve({ result: 'success', output: '' });
    expect(await runHook({ exec: { command: ['true'] } }, { name: 'c' }, target, ok, 1000, 'p')).toBeUndefined();
  });

  it('sleeps for sleep handlers and gives up on a hook at its deadline', async () => {
    const never: ProbeRunner = () => new Promise(() => undefined);
    let t = Date.now();
    expect(await runHook({ sleep: { seconds: 0.2 } }, { name: 'c' }, target, never, 1000, 'p')).toBeUndefined();
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    t = Date.now();
    expect(await runHook({ exec: { command: ['hang'] } }, { name: 'c' }, target, never, 100, 'p')).toMatch(/failed - error: timeout/);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(await runHook({ httpGet: { port: 'nope' } }, { name: 'c' }, target, never, 100, 'p')).toBe('Lifecycle hook for Container "c" in Pod "p" failed - error: port "nope" not found in container "c"');
  });
});
