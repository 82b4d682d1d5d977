import { describe, expect, it } from 'vitest';
import { nextRestartCount } from './container-start';
import { app, exited, init, testPod } from './observed-fixtures';

describe('nextRestartCount', () => {
  it('is 0 for a first start and one more than the latest instance after that', () => {
    const pod = testPod({ containers: [{ name: 'a' }] });
    expect(nextRestartCount(pod, [], 'a', 'app')).toBe(0);
    expect(nextRestartCount(pod, [app('a', exited(1, { restartCount: 4 })), app('a', exited(1, { restartCount: 3 }))], 'a', 'app')).toBe(5);
    expect(nextRestartCount(pod, [init('a', exited(1, { restartCount: 2 }))], 'a', 'app')).toBe(0);
  });

  it('remembers the count from the stored status when instances were removed (docker rm -f)', () => {
    const pod = testPod({ containers: [{ name: 'a' }] }, { phase: 'Running', containerStatuses: [{ name: 'a', restartCount: 6, containerID: 'docker://gone' }] });
    expect(nextRestartCount(pod, [], 'a', 'app')).toBe(7);
    expect(nextRestartCount(pod, [app('a', exited(1, { restartCount: 5 }))], 'a', 'app')).toBe(7);
    const never = testPod({ containers: [{ name: 'a' }] }, { phase: 'Pending', containerStatuses: [{ name: 'a', restartCount: 0, state: { waiting: {} } }] });
    expect(nextRestartCount(never, [], 'a', 'app')).toBe(0);
  });
});
