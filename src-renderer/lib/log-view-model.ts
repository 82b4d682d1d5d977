import type { LogLine } from '../../src-main/contract/streams';

/** A log line as the view keeps it: numbered in arrival order so filtering and rendering keep it stable. */
export interface LogEntry extends LogLine {
  seq: number;
}

/** Case-insensitive substring filter; an empty query keeps every line. */
export function filterLogEntries(entries: readonly LogEntry[], query: string): LogEntry[] {
  const q = query.trim().toLowerCase();
  if (q === '') return entries as LogEntry[];
  return entries.filter((e) => e.text.toLowerCase().includes(q) || e.pod.toLowerCase().includes(q));
}

const POD_COLOURS = ['text-sky-500', 'text-amber-500', 'text-emerald-500', 'text-fuchsia-500', 'text-rose-500', 'text-lime-500', 'text-violet-500', 'text-cyan-500'];

/** A stable colour class per pod name (the same pod keeps its colour while pods come and go). */
export function podColour(pod: string): string {
  let hash = 0;
  for (let i = 0; i < pod.length; i++) hash = (hash * 31 + pod.charCodeAt(i)) >>> 0;
  return POD_COLOURS[hash % POD_COLOURS.length];
}

/** The text of a download: one line per entry, with the source and timestamp when several streams merge. */
export function logsAsText(entries: readonly LogEntry[], withSource: boolean): string {
  return entries
    .map((e) => `${e.time !== null ? `${e.time} ` : ''}${withSource ? `[${e.pod}/${e.container}] ` : ''}${e.text}`)
    .join('\n');
}
