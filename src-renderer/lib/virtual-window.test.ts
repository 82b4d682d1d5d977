import { describe, expect, it } from 'vitest';
import { isAtBottom, recycledSlots, scrollToReveal, virtualWindow } from './virtual-window';

describe('virtualWindow', () => {
  it('renders only the visible rows plus overscan', () => {
    const w = virtualWindow(10_000, 20, 2000, 400, 5);
    expect(w.start).toBe(95);
    expect(w.end).toBe(100 + 21 + 5);
    expect(w.offsetTop).toBe(95 * 20);
    expect(w.totalHeight).toBe(200_000);
  });

  it('clamps at the top and bottom', () => {
    expect(virtualWindow(100, 20, -50, 400, 2).start).toBe(0);
    const bottom = virtualWindow(100, 20, 999_999, 400, 2);
    expect(bottom.end).toBe(100);
    expect(bottom.start).toBe(80 - 2);
  });

  it('handles an empty list and a list shorter than the viewport', () => {
    expect(virtualWindow(0, 20, 0, 400)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0, capacity: 0 });
    const short = virtualWindow(3, 20, 0, 400);
    expect([short.start, short.end]).toEqual([0, 3]);
  });
});

describe('scrollToReveal', () => {
  it('scrolls up to a row above the viewport', () => {
    expect(scrollToReveal(2, 20, 100, 200)).toBe(40);
  });
  it('scrolls down just enough for a row below', () => {
    expect(scrollToReveal(20, 20, 0, 200)).toBe(220);
  });
  it('keeps the position when the row is visible', () => {
    expect(scrollToReveal(6, 20, 100, 200)).toBe(100);
  });
});

describe('isAtBottom', () => {
  it('is true at the bottom and within slack', () => {
    expect(isAtBottom(600, 1000, 400)).toBe(true);
    expect(isAtBottom(597, 1000, 400)).toBe(true);
    expect(isAtBottom(500, 1000, 400)).toBe(false);
  });
});

describe('recycledSlots', () => {
  it('gives every window row one slot, and a window of any position the same pool', () => {
    const top = virtualWindow(5000, 28, 0, 640);
    const middle = virtualWindow(5000, 28, 28 * 2500, 640);
    const bottom = virtualWindow(5000, 28, 999_999, 640);
    for (const w of [top, middle, bottom]) {
      const slots = recycledSlots(w.start, w.end, w.capacity);
      expect(slots).toHaveLength(middle.capacity);
      expect(slots.filter((i) => i >= 0).sort((a, b) => a - b)).toEqual(Array.from({ length: w.end - w.start }, (_, k) => w.start + k));
    }
  });

  it('changes only k slots when the window moves by k rows', () => {
    const before = recycledSlots(100, 140, 40);
    const after = recycledSlots(103, 143, 40);
    const changed = before.filter((index, slot) => after[slot] !== index);
    expect(changed).toEqual([100, 101, 102]);
  });

  it('grows the pool rather than dropping rows when a window is longer than the capacity', () => {
    expect(recycledSlots(0, 5, 3)).toEqual([0, 1, 2, 3, 4]);
    expect(recycledSlots(0, 0, 0)).toEqual([]);
    expect(recycledSlots(2, 4, 5)).toEqual([-1, -1, 2, 3, -1]);
  });
});
