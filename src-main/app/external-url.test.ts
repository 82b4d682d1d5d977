import { describe, expect, it } from 'vitest';
import { isOpenableForwardUrl } from './external-url';

describe('isOpenableForwardUrl', () => {
  it('accepts a forward on 127.0.0.1', () => {
    expect(isOpenableForwardUrl('http://127.0.0.1:8080/')).toBe(true);
  });

  it('refuses everything else', () => {
    for (const url of [
      'https://127.0.0.1:8080/',
      'http://localhost:8080/',
      'http://127.0.0.1/',
      'http://127.0.0.1:8080/x',
      'http://user:pw@127.0.0.1:8080/',
      'http://127.0.0.1:8080/?q',
      'http://127.0.0.1:8080/#h',
      'http://127.1:8080/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(isOpenableForwardUrl(url), url).toBe(false);
    }
  });
});
