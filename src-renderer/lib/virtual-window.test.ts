import { describe, expect, it } from 'vitest';
import { isAtBottom, scrollToReveal, virtualWindow } from './virtual-window';

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
    expect(virtualWindow(0, 20, 0, 400)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
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
