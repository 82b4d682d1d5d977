import { describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../contract/streams';
import { LineBatcher, LineSplitter, MAX_LINE_CHARS } from './log-lines';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('LineSplitter', () => {
  it('holds a partial line until its newline, across chunks and split UTF-8', () => {
    const split = new LineSplitter('p', 'c', false);
    const euro = bytes('€');
    expect(split.push(bytes('one\ntw'))).toEqual([{ pod: 'p', container: 'c', time: null, text: 'one' }]);
    expect(split.push(new Uint8Array([...bytes('o '), euro[0]]))).toEqual([]);
    expect(split.push(new Uint8Array([...euro.slice(1), ...bytes('\r\nthree')]))).toEqual([{ pod: 'p', container: 'c', time: null, text: 'two €' }]);
    expect(split.end()).toEqual([{ pod: 'p', container: 'c', time: null, text: 'three' }]);
    expect(split.end()).toEqual([]);
  });

  it('moves the runtime timestamp into `time`', () => {
    const split = new LineSplitter('p', 'c', true);
    expect(split.push(bytes('2026-11-28T10:00:00.123456789Z hello world\nno stamp\n'))).toEqual([
      { pod: 'p', container: 'c', time: '2026-11-28T10:00:00.123456789Z', text: 'hello world' },
      { pod: 'p', container: 'c', time: null, text: 'no stamp' },
    ]);
  });

  it('cuts runaway lines', () => {
    const split = new LineSplitter('p', 'c', false);
    const [line] = split.push(bytes(`${'x'.repeat(MAX_LINE_CHARS + 10)}\n`));
    expect(line.text).toHaveLength(MAX_LINE_CHARS + ' … [10 more characters]'.length);
    expect(split.push(bytes('y'.repeat(MAX_LINE_CHARS + 1)))).toHaveLength(1);
  });
});

describe('LineBatcher', () => {
  const line = (text: string): LogLine => ({ pod: 'p', container: 'c', time: null, text });

  it('sends lines in one batch per interval', () => {
    vi.useFakeTimers();
    try {
      const send = vi.fn();
      const batcher = new LineBatcher(send, 100, 50);
      batcher.add([line('a')]);
      batcher.add([line('b')]);
      expect(send).not.toHaveBeenCalled();
      vi.advanceTimersByTime(50);
      expect(send).toHaveBeenCalledWith([line('a'), line('b')], 0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stays bounded when the consumer falls behind: the oldest lines go, and are counted', () => {
    const send = vi.fn();
    const batcher = new LineBatcher(send, 3, 50);
    batcher.add(['1', '2', '3', '4', '5'].map(line));
    batcher.flush();
    expect(send).toHaveBeenCalledWith(['3', '4', '5'].map(line), 2);
    batcher.stop();
  });
});
