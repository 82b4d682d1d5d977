import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ContainerResolver } from '../container-resolver';
import { createPodStreams } from './index';

describe('createPodStreams', () => {
  it('gives one object for both API server hooks, with no session open', () => {
    const resolver: ContainerResolver = { resolve: () => Promise.reject(new Error('unused')) };
    const s = createPodStreams(resolver, new Docker());
    expect(s.podStreams).toBe(s.upgrades);
    expect(s.activeSessions()).toBe(0);
    s.stop();
    expect(s.activeSessions()).toBe(0);
  });
});
