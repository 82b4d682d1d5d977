import type { JSX } from 'react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogTarget } from '../../src-main/contract/inputs';
import type { LogStreamState } from '../../src-main/contract/streams';
import { subscribe } from '../api';
import { Button, ErrorNote, TextInput } from '../components/ui';
import { useConsole } from '../console-state';
import { useResourceFeed } from '../hooks/use-resource-feed';
import type { LogEntry } from '../lib/log-view-model';
import { filterLogEntries, logsAsText, podColour } from '../lib/log-view-model';
import { RingBuffer } from '../lib/ring-buffer';
import { isAtBottom, virtualWindow } from '../lib/virtual-window';

/** Lines kept in memory: hours of tailing cannot grow past this (k9s#1188). */
export const LOG_BUFFER_LINES = 50_000;
const LINE_HEIGHT = 18;

function Toggle({ label, checked, onChange, testId }: { label: string; checked: boolean; onChange: (v: boolean) => void; testId: string }): JSX.Element {
  return (
    <label className="flex items-center gap-1 text-sm">
      <input type="checkbox" checked={checked} data-testid={testId} onChange={(e) => onChange(e.currentTarget.checked)} />
      {label}
    </label>
  );
}

/** The lines the view shows: the ring itself while following, else a filtered or paused copy. */
interface LogLines {
  length: number;
  at(index: number): LogEntry | undefined;
}

function visibleLines(lines: LogLines, start: number, end: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = start; i < end && i < lines.length; i++) {
    const line = lines.at(i);
    if (line !== undefined) out.push(line);
  }
  return out;
}

/** Streaming logs of a pod (one or all containers) or of every pod of a Deployment, merged. */
export function LogsView({ namespace, target }: { namespace: string; target: LogTarget }): JSX.Element {
  const { context, navigate } = useConsole();
  const pods = useResourceFeed(context, 'pods', namespace, target.kind === 'pod');
  const [container, setContainer] = useState<string | undefined>(target.container);
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [streams, setStreams] = useState<LogStreamState[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  const [version, setVersion] = useState(0);
  const ring = useRef(new RingBuffer<LogEntry>(LOG_BUFFER_LINES));
  const seq = useRef(0);
  const [dropped, setDropped] = useState(0);

  const targetName = target.kind === 'pod' ? target.pod : target.deployment;
  const containers = target.kind === 'pod' ? (pods.rows.find((p) => p.name === target.pod)?.containers ?? []) : [];

  useEffect(() => {
    if (context === null) return undefined;
    ring.current.clear();
    setVersion((v) => v + 1);
    setStreams([]);
    setProblem(null);
    setEnded(false);
    setDropped(0);
    let frame: number | null = null;
    const bump = (): void => {
      if (frame === null)
        frame = requestAnimationFrame(() => {
          frame = null;
          setVersion((v) => v + 1);
        });
    };
    const logTarget: LogTarget = target.kind === 'pod' ? { kind: 'pod', pod: target.pod, ...(container !== undefined ? { container } : {}) } : { kind: 'deployment', deployment: target.deployment };
    const dispose = subscribe(
      'onLogs',
      { context, namespace, target: logTarget, follow, previous, timestamps, tailLines: 2000 },
      (event) => {
        switch (event.type) {
          case 'lines':
            ring.current.pushAll(event.lines.map((l) => ({ ...l, seq: seq.current++ })));
            bump();
            break;
          case 'streams':
            setStreams(event.streams);
            break;
          case 'dropped':
            setDropped((d) => d + event.count);
            break;
          case 'error':
            setProblem(event.error.message);
            break;
          case 'end':
            setEnded(true);
            break;
        }
      },
      (error) => setProblem(error.message),
    );
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      dispose();
    };
  }, [context, namespace, target, container, follow, previous, timestamps]);

  // Following: stick to the bottom. Scrolling up pauses (the view freezes); scrolling back down or Resume follows again.
  const [paused, setPaused] = useState<LogEntry[] | null>(null);
  // Following without a filter (the common case at thousands of lines/s), the view reads the ring in place: no
  // copy of up to 50,000 lines per frame. A pause or a filter works on a copy.
  const buffer = ring.current;
  const totalLines = buffer.length;
  const shown: LogLines = useMemo(() => {
    if (paused === null && query.trim() === '') return { length: buffer.length, at: (i: number) => buffer.at(i) };
    const lines = filterLogEntries(paused ?? buffer.toArray(), query);
    return { length: lines.length, at: (i: number) => lines[i] };
    // `version` changes with every batch of lines: the ring is mutated in place.
  }, [paused, query, buffer, version]);
  const lastSeq = buffer.at(totalLines - 1)?.seq ?? 0;
  const newSincePause = paused === null ? 0 : Math.max(0, lastSeq - (paused[paused.length - 1]?.seq ?? 0));
  const pause = (): void => setPaused(buffer.toArray());

  const scroller = useRef<HTMLDivElement>(null);
  // Scroll events caused by following itself are not the user's: only the user's scrolling pauses.
  const programmaticTop = useRef<number | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return undefined;
    setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el !== null && paused === null) {
      el.scrollTop = el.scrollHeight;
      programmaticTop.current = el.scrollTop;
      setScrollTop(el.scrollTop);
    }
  }, [shown, paused]);

  const onScroll = (): void => {
    const el = scroller.current;
    if (el === null) return;
    setScrollTop(el.scrollTop);
    if (programmaticTop.current !== null && Math.abs(el.scrollTop - programmaticTop.current) < 2) return;
    programmaticTop.current = null;
    const bottom = isAtBottom(el.scrollTop, el.scrollHeight, el.clientHeight, LINE_HEIGHT);
    if (!bottom && paused === null) pause();
    else if (bottom && paused !== null && newSincePause === 0) setPaused(null);
  };

  const download = (): void => {
    const blob = new Blob([logsAsText(filterLogEntries(ring.current.toArray(), query), target.kind === 'deployment' || container === undefined)], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${targetName}${container !== undefined ? `-${container}` : ''}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const multiSource = target.kind === 'deployment' || (container === undefined && containers.length > 1);
  const win = virtualWindow(shown.length, LINE_HEIGHT, scrollTop, viewport, 20);

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="logs-view">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <h1 className="text-lg font-semibold">
          Logs <span className="font-mono text-base text-slate-500">{target.kind === 'deployment' ? `deployment/${targetName}` : targetName}</span>
        </h1>
        {target.kind === 'pod' && (
          <select
            aria-label="Container"
            data-testid="log-container"
            className="rounded border border-slate-300 bg-white px-1 py-0.5 text-sm dark:border-slate-700 dark:bg-slate-900"
            value={container ?? ''}
            onChange={(e) => setContainer(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
          >
            <option value="">All containers</option>
            {containers.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        )}
        <Toggle label="Follow" checked={follow} onChange={setFollow} testId="log-follow" />
        <Toggle label="Previous" checked={previous} onChange={setPrevious} testId="log-previous" />
        <Toggle label="Timestamps" checked={timestamps} onChange={setTimestamps} testId="log-timestamps" />
        <TextInput placeholder="Filter lines…" aria-label="Filter lines" data-testid="log-filter" value={query} onChange={(e) => setQuery(e.currentTarget.value)} className="w-56" />
        <div className="flex-1" />
        <Button onClick={download} data-testid="log-download">
          Download
        </Button>
        <Button onClick={() => navigate({ view: 'kind', kind: target.kind === 'pod' ? 'pods' : 'deployments', selected: { name: targetName, namespace } })}>Back</Button>
      </div>
      <div className="flex items-center gap-3 border-b border-slate-200 px-4 py-1 text-xs text-slate-500 dark:border-slate-800" data-testid="log-status">
        <span data-testid="log-count">
          {shown.length === totalLines ? `${totalLines} lines` : `${shown.length} of ${totalLines} lines match`}
        </span>
        {ring.current.dropped + dropped > 0 && <span>{ring.current.dropped + dropped} older lines dropped (buffer {LOG_BUFFER_LINES.toLocaleString()})</span>}
        {streams.map((s) => (
          <span key={`${s.pod}/${s.container}`} className={podColour(s.pod)} title={s.message ?? undefined}>
            {s.pod}/{s.container}: {s.state}
          </span>
        ))}
        {ended && <span>stream ended</span>}
      </div>
      {problem !== null && (
        <div className="px-4 pt-2">
          <ErrorNote testId="log-error">{problem}</ErrorNote>
        </div>
      )}
      <div className="relative min-h-0 flex-1">
        <div
          ref={scroller}
          onScroll={onScroll}
          onWheel={(e) => {
            // Pause at once on a scroll up, before the next batch of lines can pull the view back down.
            if (e.deltaY < 0 && paused === null && (scroller.current?.scrollTop ?? 0) > 0) pause();
          }}
          className="absolute inset-0 overflow-auto bg-slate-50 font-mono text-xs dark:bg-slate-900" data-testid="log-lines" tabIndex={0}>
          <div style={{ height: win.totalHeight, position: 'relative' }}>
            <div style={{ transform: `translateY(${win.offsetTop}px)` }}>
              {visibleLines(shown, win.start, win.end).map((line) => (
                <div key={line.seq} className="px-3 whitespace-pre" style={{ height: LINE_HEIGHT, lineHeight: `${LINE_HEIGHT}px` }} data-testid="log-line">
                  {line.time !== null && <span className="mr-2 text-slate-400">{line.time}</span>}
                  {multiSource && <span className={`mr-2 ${podColour(line.pod)}`}>{target.kind === 'deployment' ? line.pod : line.container}</span>}
                  {line.text}
                </div>
              ))}
            </div>
          </div>
        </div>
        {paused !== null && (
          <button
            type="button"
            data-testid="log-resume"
            className="absolute right-6 bottom-4 rounded-full bg-sky-600 px-3 py-1.5 text-sm text-white shadow-lg hover:bg-sky-500"
            onClick={() => setPaused(null)}
          >
            Paused{newSincePause > 0 ? ` — ${newSincePause} new lines` : ''} · Resume
          </button>
        )}
      </div>
    </div>
  );
}
