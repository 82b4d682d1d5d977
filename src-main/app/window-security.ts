import type { Session, WebContents } from 'electron';
import { isAppUrl } from './app-origin';

/** Applied to every WebContents: no navigation away from the app, no new windows, no <webview>. */
export function hardenWebContents(contents: WebContents, appOrigin: string): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Denies every permission (camera, notifications, ...) and puts the CSP header on the app's own responses. */
export function hardenSession(session: Session, appOrigin: string, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, appOrigin)) {
      callback({});
      return;
    }
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, csp) });
  });
}

/** Response headers with our CSP replacing any the server sent (header names compare case-insensitively). */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
  csp: string,
): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [csp] };
}
