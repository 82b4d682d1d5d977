import { describe, expect, it } from 'vitest';
import { diffLines, diffStats } from './line-diff';

describe('diffLines', () => {
  it('marks a changed line as a removal and an addition', () => {
    const d = diffLines('a\nimage: x:1\nc\n', 'a\nimage: x:2\nc\n');
    expect(d.map((l) => `${l.op}:${l.text}`)).toEqual(['same:a', 'remove:image: x:1', 'add:image: x:2', 'same:c']);
    expect(d[1].oldLine).toBe(2);
    expect(d[2].newLine).toBe(2);
    expect(diffStats(d)).toEqual({ added: 1, removed: 1 });
  });

  it('handles insertions and deletions in the middle', () => {
    const d = diffLines('a\nb\nc\nd', 'a\nc\nx\nd');
    expect(d.filter((l) => l.op !== 'same').map((l) => `${l.op}:${l.text}`)).toEqual(['remove:b', 'add:x']);
    expect(d.filter((l) => l.op === 'same').map((l) => l.text)).toEqual(['a', 'c', 'd']);
  });

  it('is all "same" for equal texts and all additions from empty', () => {
    expect(diffLines('a\nb', 'a\nb').every((l) => l.op === 'same')).toBe(true);
    expect(diffLines('', 'a\nb').map((l) => l.op)).toEqual(['add', 'add']);
  });

  it('numbers lines after a common suffix correctly', () => {
    const d = diffLines('x\nz\nz', 'y\ny\nz\nz');
    const last = d[d.length - 1];
    expect(last).toEqual({ op: 'same', text: 'z', oldLine: 3, newLine: 4 });
  });
});
