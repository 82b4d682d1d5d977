import { describe, expect, it } from 'vitest';
import { isAppUrl, originOf } from './app-origin';

describe('originOf', () => {
  it('keeps scheme, host and a non-default port', () => {
    expect(originOf('app://skiff/index.html')).toBe('app://skiff');
    expect(originOf('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173');
    expect(originOf('http://LOCALHOST:80/')).toBe('http://localhost');
  });

  it.each(['file:///etc/passwd', 'about:blank', 'data:text/html,hi', 'javascript:alert(1)', 'not a url', ''])(
    'has no origin for %j',
    (url) => {
      expect(originOf(url)).toBeNull();
    },
  );
});

describe('isAppUrl', () => {
  it.each([
    ['app://skiff/index.html', 'app://skiff', true],
    ['app://skiff/../index.html', 'app://skiff', true],
    ['app://user@skiff/', 'app://skiff', true],
    ['app://skiff.evil.example/', 'app://skiff', false],
    ['app://skiffx/', 'app://skiff', false],
    ['app://skiff:8080/', 'app://skiff', false],
    ['https://skiff/', 'app://skiff', false],
    ['http://localhost:5173/', 'http://localhost:5173', true],
    ['http://localhost:5174/', 'http://localhost:5173', false],
    ['https://localhost:5173/', 'http://localhost:5173', false],
    ['http://localhost:5173.evil.example/', 'http://localhost:5173', false],
    ['file:///index.html', 'null', false],
  ])('%s against %s is %s', (url, origin, expected) => {
    expect(isAppUrl(url, origin)).toBe(expected);
  });
});
