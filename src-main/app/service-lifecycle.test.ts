import { describe, expect, it } from 'vitest';
import type { ShellService } from './service-lifecycle';
import { ServiceLifecycle } from './service-lifecycle';

function recorder(): { log: string[]; service: (name: string, failOn?: 'start' | 'stop') => ShellService } {
  const log: string[] = [];
  return {
    log,
    service: (name, failOn) => ({
      name,
      start: () => {
        log.push(`start ${name}`);
        return failOn === 'start' ? Promise.reject(new Error(`${name} broke`)) : Promise.resolve();
      },
      stop: () => {
        log.push(`stop ${name}`);
        return failOn === 'stop' ? Promise.reject(new Error(`${name} stuck`)) : Promise.resolve();
      },
    }),
  };
}

describe('ServiceLifecycle', () => {
  it('starts in order and stops in reverse, once', async () => {
    const { log, service } = recorder();
    const lifecycle = new ServiceLifecycle([service('engine'), service('desk')]);
    await lifecycle.start();
    await lifecycle.stop();
    await lifecycle.stop();
    expect(log).toEqual(['start engine', 'start desk', 'stop desk', 'stop engine']);
  });

  it('stops what started when a later service fails to start', async () => {
    const { log, service } = recorder();
    const lifecycle = new ServiceLifecycle([service('engine'), service('desk', 'start')]);
    await expect(lifecycle.start()).rejects.toThrow('desk failed to start');
    expect(log).toEqual(['start engine', 'start desk', 'stop engine']);
  });

  it('stops every service even when one fails to stop', async () => {
    const { log, service } = recorder();
    const lifecycle = new ServiceLifecycle([service('engine'), service('desk', 'stop')]);
    await lifecycle.start();
    await expect(lifecycle.stop()).rejects.toThrow('some services failed to stop');
    expect(log).toEqual(['start engine', 'start desk', 'stop desk', 'stop engine']);
  });
});
