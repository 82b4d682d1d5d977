import { describe, expect, it } from 'vitest';
import { ActiveStreams } from './active-streams';

describe('ActiveStreams', () => {
  it('counts sessions and closes the ones still open', () => {
    const a = new ActiveStreams();
    const closed: string[] = [];
    const doneA = a.add(() => closed.push('a'));
    a.add(() => closed.push('b'));
    expect(a.size).toBe(2);
    doneA();
    expect(a.size).toBe(1);
    a.closeAll();
    expect(closed).toEqual(['b']);
    expect(a.size).toBe(0);
  });
});
