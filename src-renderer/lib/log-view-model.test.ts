import { describe, expect, it } from 'vitest';
import type { LogEntry } from './log-view-model';
import { filterLogEntries, logsAsText, podColour } from './log-view-model';

const entries: LogEntry[] = [
  { seq: 1, pod: 'web-a', container: 'c', time: null, text: 'GET /health 200' },
  { seq: 2, pod: 'web-b', container: 'c', time: '2025-01-01T00:00:00Z', text: 'ERROR boom' },
];

describe('filterLogEntries', () => {
  it('keeps only matching lines, case-insensitively', () => {
    expect(filterLogEntries(entries, 'error').map((e) => e.seq)).toEqual([2]);
    expect(filterLogEntries(entries, '  ')).toBe(entries);
  });
});

describe('podColour', () => {
  it('is stable per pod', () => {
    expect(podColour('web-a')).toBe(podColour('web-a'));
    expect(podColour('web-a')).toMatch(/^text-/);
  });
});

describe('logsAsText', () => {
  it('prefixes timestamps and sources', () => {
    expect(logsAsText(entries, true)).toBe('[web-a/c] GET /health 200\n2025-01-01T00:00:00Z [web-b/c] ERROR boom');
  });
});
