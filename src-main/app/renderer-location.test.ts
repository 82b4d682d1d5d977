import { describe, expect, it } from 'vitest';
import { resolveRendererLocation } from './renderer-location';

describe('resolveRendererLocation', () => {
  it('serves the built renderer from app://skiff by default', () => {
    expect(resolveRendererLocation({ isPackaged: false, devServerUrl: undefined })).toEqual({
      mode: 'production',
      origin: 'app://skiff',
      entryUrl: 'app://skiff/index.html',
    });
  });

  it('uses the dev server when unpackaged', () => {
    expect(resolveRendererLocation({ isPackaged: false, devServerUrl: 'http://localhost:5173' })).toEqual({
      mode: 'development',
      origin: 'http://localhost:5173',
      entryUrl: 'http://localhost:5173',
    });
  });

  it('ignores the dev server in a packaged app and non-http dev URLs', () => {
    expect(resolveRendererLocation({ isPackaged: true, devServerUrl: 'http://localhost:5173' }).mode).toBe(
      'production',
    );
    expect(resolveRendererLocation({ isPackaged: false, devServerUrl: 'file:///tmp/x.html' }).mode).toBe(
      'production',
    );
  });
});
