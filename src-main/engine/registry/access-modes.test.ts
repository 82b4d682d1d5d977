import { describe, expect, it } from 'vitest';
import { accessModesString } from './access-modes';

describe('accessModesString', () => {
  it('uses the fixed RWO,ROX,RWX,RWOP order', () => {
    expect(accessModesString(['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'])).toBe('RWO,RWX');
    expect(accessModesString(undefined)).toBe('');
  });
});
