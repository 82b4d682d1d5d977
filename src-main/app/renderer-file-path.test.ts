import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFilePath } from './renderer-file-path';

const root = path.resolve('/opt/skiff/out/renderer');

describe('rendererFilePath', () => {
  it('maps app URLs to files under the renderer directory', () => {
    expect(rendererFilePath(root, 'app://skiff/index.html')).toBe(path.join(root, 'index.html'));
    expect(rendererFilePath(root, 'app://skiff/')).toBe(path.join(root, 'index.html'));
    expect(rendererFilePath(root, 'app://skiff/assets/index-abc.js?v=1#x')).toBe(
      path.join(root, 'assets', 'index-abc.js'),
    );
    expect(rendererFilePath(root, 'app://skiff/a%20b.css')).toBe(path.join(root, 'a b.css'));
  });

  it('keeps dot segments, encoded or not, inside the directory', () => {
    expect(rendererFilePath(root, 'app://skiff/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(rendererFilePath(root, 'app://skiff/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
  });

  it.each([
    'app://skiff/..%2f..%2fetc%2fpasswd',
    'app://skiff/index.html%00.js',
    'app://skiff/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
  ])('refuses %s', (url) => {
    expect(rendererFilePath(root, url)).toBeNull();
  });
});
