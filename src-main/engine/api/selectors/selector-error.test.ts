import { describe, it, expect } from 'vitest';
import { SelectorError } from './selector-error';

describe('SelectorError', () => {
  it('is an Error with its own name', () => {
    const e = new SelectorError('bad');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SelectorError');
    expect(e.message).toBe('bad');
  });
});
