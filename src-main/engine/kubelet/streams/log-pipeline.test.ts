import { describe, expect, it } from 'vitest';
import { encodeDockerFrame } from './docker-frames';
import { LogPipeline } from './log-pipeline';

function run(p: LogPipeline, chunks: Buffer[]): { text: string; done: boolean } {
  const out: Buffer[] = [];
  let done = false;
  for (const c of chunks) {
    const r = p.push(c);
    out.push(r.out);
    if (r.done) {
      done = true;
      break;
    }
  }
  if (!done) out.push(p.end().out);
  return { text: Buffer.concat(out).toString(), done };
}

describe('LogPipeline', () => {
  it('demultiplexes stdout and stderr in arrival order', () => {
    const p = new LogPipeline({ multiplexed: true, timestamps: false });
    const all = Buffer.concat([encodeDockerFrame(1, 'a\n'), encodeDockerFrame(2, 'b\n'), encodeDockerFrame(3, 'daemon says no\n'), encodeDockerFrame(1, 'c\n')]);
    expect(run(p, [all.subarray(0, 5), all.subarray(5)]).text).toBe('a\nb\nc\n');
  });

  it('passes TTY output through raw', () => {
    const p = new LogPipeline({ multiplexed: false, timestamps: false });
    expect(run(p, [Buffer.from('hi\r\n'), Buffer.from('there\r\n')]).text).toBe('hi\r\nthere\r\n');
  });

  it('normalizes timestamps per stream', () => {
    const p = new LogPipeline({ multiplexed: true, timestamps: true });
    const text = run(p, [encodeDockerFrame(1, '2024-05-01T12:00:00.5Z out\n'), encodeDockerFrame(2, '2024-05-01T12:00:01Z err\n')]).text;
    expect(text).toBe('2024-05-01T12:00:00.500000000Z out\n2024-05-01T12:00:01.000000000Z err\n');
  });

  it('stops exactly at limitBytes, counting timestamps', () => {
    const p = new LogPipeline({ multiplexed: true, timestamps: false, limitBytes: 5 });
    expect(run(p, [encodeDockerFrame(1, 'abc\n'), encodeDockerFrame(1, 'def\n'), encodeDockerFrame(1, 'ghi\n')])).toEqual({ text: 'abc\nd', done: true });
    const q = new LogPipeline({ multiplexed: false, timestamps: true, limitBytes: 31 });
    expect(run(q, [Buffer.from('2024-05-01T12:00:00Z x\n')]).text).toBe('2024-05-01T12:00:00.000000000Z ');
    const exact = new LogPipeline({ multiplexed: false, timestamps: false, limitBytes: 3 });
    expect(run(exact, [Buffer.from('abc'), Buffer.from('def')])).toEqual({ text: 'abc', done: true });
  });
});
