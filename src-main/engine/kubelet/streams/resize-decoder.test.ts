import { describe, expect, it } from 'vitest';
import { parseTerminalSize, ResizeDecoder } from './resize-decoder';

describe('terminal sizes', () => {
  it('reads client-go and client-node spellings', () => {
    expect(parseTerminalSize({ Width: 80, Height: 24 })).toEqual({ width: 80, height: 24 });
    expect(parseTerminalSize({ height: 24, width: 80 })).toEqual({ width: 80, height: 24 });
    expect(parseTerminalSize({ WIDTH: 1, height: 2 })).toEqual({ width: 1, height: 2 });
  });

  it('refuses zero, negative, fractional and missing sides', () => {
    expect(parseTerminalSize({ Width: 0, Height: 24 })).toBeUndefined();
    expect(parseTerminalSize({ Width: 80 })).toBeUndefined();
    expect(parseTerminalSize({ Width: -1, Height: 24 })).toBeUndefined();
    expect(parseTerminalSize({ Width: 1.5, Height: 24 })).toBeUndefined();
    expect(parseTerminalSize({ Width: 70000, Height: 24 })).toBeUndefined();
    expect(parseTerminalSize([80, 24])).toBeUndefined();
  });

  it('decodes values packed into one message or split across messages', () => {
    const d = new ResizeDecoder();
    expect(d.push(Buffer.from('{"Width":80,"Height":24}\n{"Width":100,'))).toEqual([{ width: 80, height: 24 }]);
    expect(d.push(Buffer.from('"Height":30}\n'))).toEqual([{ width: 100, height: 30 }]);
    expect(d.push(Buffer.from('{"width":"x","height":1}{"width":2,"height":"}"}{"width":3,"height":4}'))).toEqual([{ width: 3, height: 4 }]);
  });

  it('recovers from garbage', () => {
    const d = new ResizeDecoder();
    expect(d.push(Buffer.from('nonsense'))).toEqual([]);
    expect(d.push(Buffer.from('{"Width":5,"Height":6}'))).toEqual([{ width: 5, height: 6 }]);
  });
});
