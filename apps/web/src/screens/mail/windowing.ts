// Windowing maths for the message list: which rows of a long list of fixed-height rows to render for
// a scroll position, so a folder of thousands of messages renders a few dozen rows at a time.
// (A dozen lines of arithmetic: smaller than any windowing library, and testable without a DOM.)

export interface WindowInput {
  /** rows in the list */
  readonly count: number;
  /** height of one row in px (> 0) */
  readonly rowHeight: number;
  /** the scroll container's scrollTop in px */
  readonly scrollTop: number;
  /** the scroll container's visible height in px */
  readonly viewportHeight: number;
  /** extra rows rendered above and below the visible ones (smooth scrolling, keyboard focus) */
  readonly overscan: number;
}

export interface RowWindow {
  /** first row rendered (inclusive) */
  readonly start: number;
  /** row after the last one rendered (exclusive) */
  readonly end: number;
  /** px from the top of the list to the first rendered row */
  readonly offsetTop: number;
  /** height of the whole list in px */
  readonly totalHeight: number;
}

export function rowWindow(input: WindowInput): RowWindow {
  const count = Math.max(0, Math.floor(input.count));
  const rowHeight = input.rowHeight > 0 ? input.rowHeight : 1;
  const totalHeight = count * rowHeight;
  if (count === 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const overscan = Math.max(0, Math.floor(input.overscan));
  const top = Math.min(Math.max(0, input.scrollTop), Math.max(0, totalHeight - 1));
  const height = Math.max(0, input.viewportHeight);
  const firstVisible = Math.floor(top / rowHeight);
  const lastVisible = Math.min(count - 1, Math.floor((top + height - 1) / rowHeight));
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, Math.max(firstVisible, lastVisible) + 1 + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/**
 * The scrollTop that brings row `index` fully into view with the least movement (unchanged when it
 * is already visible).
 */
export function scrollToRow(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** True when the rendered window is near the end of the loaded rows: time to fetch the next page. */
export function nearEnd(window: RowWindow, count: number, threshold: number): boolean {
  return count > 0 && window.end >= count - threshold;
}
