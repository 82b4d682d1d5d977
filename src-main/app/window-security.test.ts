import type { Session, WebContents } from 'electron';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { hardenSession, hardenWebContents, withContentSecurityPolicy } from './window-security';

type OpenHandler = (details: { url: string }) => { action: string };

function fakeContents(): { contents: WebContents; emitter: EventEmitter; openHandler: () => OpenHandler | undefined } {
  const emitter = new EventEmitter();
  let handler: OpenHandler | undefined;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (h: OpenHandler) => {
      handler = h;
    },
  });
  return { contents: contents as unknown as WebContents, emitter, openHandler: () => handler };
}

function navigate(emitter: EventEmitter, eventName: string, url?: string): boolean {
  let prevented = false;
  emitter.emit(eventName, { url, preventDefault: () => (prevented = true) });
  return prevented;
}

describe('hardenWebContents', () => {
  it('allows navigation within the app origin only', () => {
    const { contents, emitter } = fakeContents();
    hardenWebContents(contents, 'app://skiff');
    expect(navigate(emitter, 'will-navigate', 'app://skiff/index.html#/pods')).toBe(false);
    expect(navigate(emitter, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(navigate(emitter, 'will-navigate', 'app://skiff.example.com/')).toBe(true);
    expect(navigate(emitter, 'will-navigate', 'file:///etc/passwd')).toBe(true);
  });

  it('denies new windows and webviews', () => {
    const { contents, emitter, openHandler } = fakeContents();
    hardenWebContents(contents, 'app://skiff');
    expect(openHandler()?.({ url: 'app://skiff/index.html' })).toEqual({ action: 'deny' });
    expect(navigate(emitter, 'will-attach-webview')).toBe(true);
  });
});

describe('hardenSession', () => {
  function fakeSession(): {
    session: Session;
    permission: (name: string) => boolean;
    check: () => boolean;
    headers: (url: string, responseHeaders?: Record<string, string[]>) => unknown;
  } {
    type Callback = (response: { responseHeaders?: Record<string, string[]> }) => void;
    const handlers: {
      request?: (c: unknown, p: string, cb: (granted: boolean) => void) => void;
      check?: () => boolean;
      headers?: (d: { url: string; responseHeaders?: Record<string, string[]> }, cb: Callback) => void;
    } = {};
    const session = {
      setPermissionRequestHandler: (h: typeof handlers.request) => (handlers.request = h),
      setPermissionCheckHandler: (h: typeof handlers.check) => (handlers.check = h),
      webRequest: { onHeadersReceived: (h: typeof handlers.headers) => (handlers.headers = h) },
    };
    return {
      session: session as unknown as Session,
      permission: (name) => {
        let granted = true;
        handlers.request?.({}, name, (g) => (granted = g));
        return granted;
      },
      check: () => handlers.check?.() ?? true,
      headers: (url, responseHeaders) => {
        let result: unknown;
        handlers.headers?.({ url, responseHeaders }, (response) => (result = response));
        return result;
      },
    };
  }

  it('denies permission requests and checks', () => {
    const fake = fakeSession();
    hardenSession(fake.session, 'app://skiff', 'csp');
    expect(fake.permission('media')).toBe(false);
    expect(fake.permission('notifications')).toBe(false);
    expect(fake.check()).toBe(false);
  });

  it('sets the CSP header on the app origin and leaves other responses alone', () => {
    const fake = fakeSession();
    hardenSession(fake.session, 'http://localhost:5173', 'csp');
    expect(fake.headers('http://localhost:5173/', { 'content-type': ['text/html'] })).toEqual({
      responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': ['csp'] },
    });
    expect(fake.headers('https://example.com/', {})).toEqual({});
  });
});

describe('withContentSecurityPolicy', () => {
  it('replaces a server-sent policy whatever its case', () => {
    expect(withContentSecurityPolicy({ 'content-security-policy': ["default-src *"], Etag: ['1'] }, 'strict')).toEqual({
      Etag: ['1'],
      'Content-Security-Policy': ['strict'],
    });
  });
});
