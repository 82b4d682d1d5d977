import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps items in order below capacity', () => {
    const ring = new RingBuffer<number>(4);
    ring.push(1, 2, 3);
    expect(ring.toArray()).toEqual([1, 2, 3]);
    expect(ring.length).toBe(3);
    expect(ring.dropped).toBe(0);
  });

  it('drops the oldest items past capacity and counts them', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1, 2, 3, 4);
    ring.push(5);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.at(0)).toBe(3);
    expect(ring.at(3)).toBeUndefined();
    expect(ring.dropped).toBe(2);
  });

  it('handles a batch larger than the capacity', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(0);
    ring.pushAll([1, 2, 3, 4, 5, 6]);
    expect(ring.toArray()).toEqual([4, 5, 6]);
    expect(ring.dropped).toBe(4);
  });

  it('stays bounded over many pushes', () => {
    const ring = new RingBuffer<number>(1000);
    for (let i = 0; i < 100_000; i++) ring.push(i);
    expect(ring.length).toBe(1000);
    expect(ring.at(0)).toBe(99_000);
    expect(ring.at(999)).toBe(99_999);
  });

  it('bumps the version on change and empties on clear', () => {
    const ring = new RingBuffer<string>(2);
    const v0 = ring.version;
    ring.push('a');
    expect(ring.version).toBeGreaterThan(v0);
    ring.clear();
    expect(ring.length).toBe(0);
    expect(ring.toArray()).toEqual([]);
  });

  it('refuses a non-positive capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
