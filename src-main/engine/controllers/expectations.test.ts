import { describe, expect, it } from 'vitest';
import { ControllerExpectations, EXPECTATIONS_TTL_MS } from './expectations';

describe('ControllerExpectations', () => {
  it('is satisfied with nothing recorded, and once every expected create and delete is observed', () => {
    const e = new ControllerExpectations(() => 0);
    expect(e.satisfied('k')).toBe(true);
    e.expectCreations('k', 2);
    expect(e.satisfied('k')).toBe(false);
    e.creationObserved('k');
    expect(e.satisfied('k')).toBe(false);
    e.creationObserved('k');
    expect(e.satisfied('k')).toBe(true);
    e.expectDeletions('k', ['ns/a', 'ns/b']);
    e.deletionObserved('k', 'ns/a');
    e.deletionObserved('k', 'ns/other');
    expect(e.pending('k')).toEqual({ adds: 0, deletes: 1 });
    e.deletionObserved('k', 'ns/b');
    expect(e.satisfied('k')).toBe(true);
  });

  it('expires so a lost event cannot wedge the controller', () => {
    let now = 0;
    const e = new ControllerExpectations(() => now);
    e.expectCreations('k', 1);
    now += EXPECTATIONS_TTL_MS;
    expect(e.satisfied('k')).toBe(false);
    now += 1;
    expect(e.satisfied('k')).toBe(true);
  });

  it('forgets a deleted controller', () => {
    const e = new ControllerExpectations(() => 0);
    e.expectCreations('k', 3);
    e.forget('k');
    expect(e.satisfied('k')).toBe(true);
  });
});
