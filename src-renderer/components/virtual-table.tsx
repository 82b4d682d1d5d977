import type { JSX, KeyboardEvent, ReactNode } from 'react';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { SortSpec, SortValue } from '../lib/row-filter';
import { recycledSlots, scrollToReveal, virtualWindow } from '../lib/virtual-window';

export interface Column<R> {
  id: string;
  header: string;
  /** A CSS grid track: "minmax(12rem,2fr)", "5rem". */
  width: string;
  sortValue?: (row: R) => SortValue;
  render: (row: R) => ReactNode;
  align?: 'right';
}

export const ROW_HEIGHT = 28;

interface VirtualTableProps<R> {
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey: (row: R) => string;
  rowTestId?: (row: R) => string;
  selectedKey: string | null;
  onSelect: (row: R) => void;
  sort: SortSpec | null;
  onSort: (sort: SortSpec) => void;
  label: string;
  empty?: ReactNode;
}

interface RowProps<R> {
  row: R;
  columns: readonly Column<R>[];
  template: string;
  selected: boolean;
  active: boolean;
  index: number;
  testId: string | undefined;
  onClick: (index: number) => void;
}

function RowView<R>({ row, columns, template, selected, active, index, testId, onClick }: RowProps<R>): JSX.Element {
  return (
    <div
      role="row"
      aria-selected={selected}
      aria-rowindex={index + 2}
      data-testid={testId}
      className={`grid cursor-default items-center gap-3 border-b border-slate-100 px-3 text-sm dark:border-slate-800/60 ${
        selected ? 'bg-sky-100 dark:bg-sky-900/40' : active ? 'bg-slate-100 dark:bg-slate-800/60' : 'hover:bg-slate-50 dark:hover:bg-slate-900'
      }`}
      // Placed by its index (rows are recycled by slot, so DOM order need not follow row order); containment:
      // a row's layout and paint never reach outside it, so a row taking new content stays cheap.
      style={{
        gridTemplateColumns: template,
        height: ROW_HEIGHT,
        contain: 'strict',
        position: 'absolute',
        left: 0,
        right: 0,
        top: 0,
        transform: `translateY(${index * ROW_HEIGHT}px)`,
      }}
      onClick={() => onClick(index)}
    >
      {columns.map((c) => (
        <div key={c.id} role="gridcell" className={`truncate ${c.align === 'right' ? 'text-right tabular-nums' : ''}`}>
          {c.render(row)}
        </div>
      ))}
    </div>
  );
}

// Rows re-render only when their row object (or selection) changes: rows are replaced, never mutated.
const Row = memo(RowView) as typeof RowView;

/**
 * A table that renders only the rows in view (fixed row height), so thousands of rows stay cheap. Arrow keys,
 * j/k, Page Up/Down and Home/End move the cursor; Enter (or a click) selects.
 */
export function VirtualTable<R>(props: VirtualTableProps<R>): JSX.Element {
  const { rows, columns, rowKey, rowTestId, selectedKey, onSelect, sort, onSort, label, empty } = props;
  const scroller = useRef<HTMLDivElement>(null);
  // The first row in view, not the pixel offset: scrolling within a row re-renders nothing.
  const [firstRow, setFirstRow] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [active, setActive] = useState(0);
  const template = columns.map((c) => c.width).join(' ');

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return undefined;
    setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (active >= rows.length && rows.length > 0) setActive(rows.length - 1);
  }, [rows.length, active]);

  const moveTo = useCallback(
    (index: number) => {
      if (rows.length === 0) return;
      const next = Math.max(0, Math.min(rows.length - 1, index));
      setActive(next);
      const el = scroller.current;
      if (el !== null) el.scrollTop = scrollToReveal(next, ROW_HEIGHT, el.scrollTop, el.clientHeight);
    },
    [rows.length],
  );

  const onClickRow = useCallback(
    (index: number) => {
      setActive(index);
      const row = rows[index];
      if (row !== undefined) onSelect(row);
    },
    [rows, onSelect],
  );

  const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1),
      j: () => moveTo(active + 1),
      ArrowUp: () => moveTo(active - 1),
      k: () => moveTo(active - 1),
      PageDown: () => moveTo(active + page),
      PageUp: () => moveTo(active - page),
      Home: () => moveTo(0),
      End: () => moveTo(rows.length - 1),
      Enter: () => {
        const row = rows[active];
        if (row !== undefined) onSelect(row);
      },
    };
    const action = keys[event.key];
    if (action !== undefined && !event.metaKey && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      action();
    }
  };

  const win = virtualWindow(rows.length, ROW_HEIGHT, firstRow * ROW_HEIGHT, viewport);

  return (
    <div role="grid" aria-label={label} aria-rowcount={rows.length + 1} className="flex min-h-0 flex-1 flex-col text-slate-800 dark:text-slate-200">
      <div
        role="row"
        className="grid gap-3 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400"
        style={{ gridTemplateColumns: template }}
      >
        {columns.map((c) => (
          <button
            key={c.id}
            type="button"
            role="columnheader"
            aria-sort={sort?.column === c.id ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
            disabled={c.sortValue === undefined}
            className={`truncate text-left uppercase ${c.align === 'right' ? 'text-right' : ''} ${c.sortValue !== undefined ? 'hover:text-slate-900 dark:hover:text-white' : ''}`}
            onClick={() => onSort({ column: c.id, direction: sort?.column === c.id && sort.direction === 'asc' ? 'desc' : 'asc' })}
          >
            {c.header}
            {sort?.column === c.id ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
          </button>
        ))}
      </div>
      <div
        ref={scroller}
        tabIndex={0}
        data-testid="table-body"
        className="relative min-h-0 flex-1 overflow-auto outline-none focus-visible:ring-2 focus-visible:ring-sky-500/50"
        onScroll={(e) => setFirstRow(Math.floor(e.currentTarget.scrollTop / ROW_HEIGHT))}
        onKeyDown={onKeyDown}
      >
        {rows.length === 0 ? (
          <div className="p-6 text-sm text-slate-500">{empty ?? 'Nothing here.'}</div>
        ) : (
          <div style={{ height: win.totalHeight, position: 'relative' }}>
            {recycledSlots(win.start, win.end, win.capacity).map((index, slot) => {
              const row = rows[index];
              if (index < 0 || row === undefined) return null;
              const key = rowKey(row);
              return (
                <Row
                  key={slot}
                  row={row}
                  columns={columns}
                  template={template}
                  selected={key === selectedKey}
                  active={index === active}
                  index={index}
                  testId={rowTestId?.(row)}
                  onClick={onClickRow}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
