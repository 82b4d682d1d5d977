/** Which rows of a fixed-row-height list to render for a scroll position (the virtualizer's arithmetic). */
export interface VirtualWindow {
  /** First row index to render (inclusive). */
  start: number;
  /** Last row index to render (exclusive). */
  end: number;
  /** Pixels above the first rendered row (a spacer or a translate). */
  offsetTop: number;
  /** The full scrollable height. */
  totalHeight: number;
  /** The longest window this viewport can produce (the row pool for recycling): the same at any scroll position. */
  capacity: number;
}

export function virtualWindow(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): VirtualWindow {
  const totalHeight = rowCount * rowHeight;
  if (rowCount === 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0, capacity: 0 };
  const maxScroll = Math.max(0, totalHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(rowCount, first + visible + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight, capacity: visible + 2 * overscan };
}

/**
 * Row recycling: the rows of a window [start, end) laid out in a pool of `capacity` slots, slot = index mod
 * capacity, so that scrolling by k rows changes only k slots. A renderer keyed by slot then updates k row
 * elements in place (no element created, removed or moved) instead of replacing the whole window. Returns,
 * per slot, the row index it shows, or -1 for a slot the window leaves empty.
 */
export function recycledSlots(start: number, end: number, capacity: number): number[] {
  const size = Math.max(capacity, end - start, 0);
  const slots = new Array<number>(size).fill(-1);
  for (let index = start; index < end; index++) slots[index % size] = index;
  return slots;
}

/** The scrollTop that brings `index` into view with the least movement (for keyboard navigation). */
export function scrollToReveal(index: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}

/** Whether a list scrolled to `scrollTop` is at (or within `slack` px of) its bottom: log follow mode. */
export function isAtBottom(scrollTop: number, scrollHeight: number, clientHeight: number, slack = 4): boolean {
  return scrollHeight - (scrollTop + clientHeight) <= slack;
}
