import { describe, expect, it } from 'vitest';
import { DockerFrameDecoder, encodeDockerFrame, execStartError } from './docker-frames';

describe('DockerFrameDecoder', () => {
  it('decodes whole frames', () => {
    const d = new DockerFrameDecoder();
    const frames = d.push(Buffer.concat([encodeDockerFrame(1, 'out\n'), encodeDockerFrame(2, 'err\n')]));
    expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([
      [1, 'out\n'],
      [2, 'err\n'],
    ]);
    expect(d.pending).toBe(0);
  });

  it('reassembles frames split at any byte, including inside the header', () => {
    const all = Buffer.concat([encodeDockerFrame(1, 'hello world\n'), encodeDockerFrame(2, ''), encodeDockerFrame(2, 'x')]);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new DockerFrameDecoder();
      const frames = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([
        [1, 'hello world\n'],
        [2, ''],
        [2, 'x'],
      ]);
    }
  });

  it('holds an incomplete frame', () => {
    const d = new DockerFrameDecoder();
    expect(d.push(encodeDockerFrame(1, 'abcdef').subarray(0, 10))).toEqual([]);
    expect(d.pending).toBe(10);
  });
});

describe('execStartError', () => {
  const msg = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown';
  it('recognises the daemon error in a demultiplexed payload', () => {
    expect(execStartError(Buffer.from(`${msg}\r\n`), true)).toBe(msg);
    expect(execStartError(Buffer.from('hello\n'), true)).toBeUndefined();
  });
  it('recognises the error of a TTY exec, raw or framed', () => {
    expect(execStartError(Buffer.from(`${msg}\r\n`), false)).toBe(msg);
    expect(execStartError(encodeDockerFrame(1, `${msg}\r\n`), false)).toBe(msg);
    expect(execStartError(Buffer.concat([encodeDockerFrame(1, `${msg}\r\n`), Buffer.from('more')]), false)).toBeUndefined();
    expect(execStartError(Buffer.from('$ '), false)).toBeUndefined();
  });
});
