import type { SkiffBridge } from '../src-main/contract/bridge';
import { WS_PATH } from '../src-main/contract/ws-protocol';
import type { WebSocketBridge, WebSocketLike } from './ws-bridge';
import { createWebSocketBridge } from './ws-bridge';

declare global {
  interface Window {
    /** Present in the desktop app (set by the preload); absent in a plain browser. */
    readonly skiff?: SkiffBridge;
  }
}

let webBridge: WebSocketBridge | null = null;

/** Web mode is served over http(s) by `skiff serve`; the desktop app uses app:// and the dev server uses the preload. */
function isWebMode(): boolean {
  return window.location.protocol === 'http:' || window.location.protocol === 'https:';
}

/**
 * The contract client: the preload's object in the desktop app, else (web mode) a WebSocket client to the
 * server that served this page (the token travels in its HttpOnly cookie). Undefined when neither applies.
 */
export function getBridge(): SkiffBridge | undefined {
  if (window.skiff !== undefined) return window.skiff;
  if (!isWebMode()) return undefined;
  if (webBridge === null) {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    webBridge = createWebSocketBridge(
      `${scheme}://${window.location.host}${WS_PATH}`,
      (url) => new WebSocket(url) as unknown as WebSocketLike,
    );
  }
  return webBridge;
}

/** The web-mode bridge (with its connection state), when the page runs in web mode. */
export function getWebBridge(): WebSocketBridge | null {
  getBridge();
  return webBridge;
}
