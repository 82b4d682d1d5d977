import { app, BrowserWindow, ipcMain, session } from 'electron';
import path from 'node:path';
import { calls } from '../contract/contract';
import type { CallHandlers } from './call-dispatcher';
import { createCallDispatcher } from './call-dispatcher';
import { contentSecurityPolicy } from './content-security-policy';
import { bindContractToIpc } from './ipc-bridge';
import { createMainWindow } from './main-window';
import { resolveRendererLocation } from './renderer-location';
import { registerRendererScheme, serveRendererFiles } from './renderer-protocol';
import { ServiceLifecycle } from './service-lifecycle';
import { hardenSession, hardenWebContents } from './window-security';

// Lets tests (and a second profile) run beside an open Skiff: the single-instance lock is per user-data dir.
const userDataDir = process.env.SKIFF_USER_DATA_DIR;
if (userDataDir) app.setPath('userData', path.resolve(userDataDir));

const renderer = resolveRendererLocation({
  isPackaged: app.isPackaged,
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
});
const preloadPath = path.join(__dirname, '../preload/index.js');
const rendererDir = path.join(__dirname, '../renderer');

// The engine lifecycle plugs in here (a ShellService). The window never waits on it, and a failed engine
// does not close the app: the console still works against every other cluster.
const services = new ServiceLifecycle([]);

let mainWindow: BrowserWindow | null = null;
let shellReady = false;

function showMainWindow(): void {
  // 'second-instance' and 'activate' can arrive before start() has secured the session; it opens the window then.
  if (!shellReady) return;
  if (mainWindow === null || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow({ entryUrl: renderer.entryUrl, preloadPath });
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  await app.whenReady();
  const csp = contentSecurityPolicy(renderer.mode, 'header');
  if (renderer.mode === 'production') serveRendererFiles(rendererDir, csp);
  hardenSession(session.defaultSession, renderer.origin, csp);
  // The desk is bound here in a later commit; until then every other call reports that it is unavailable.
  const pending = Object.fromEntries(
    Object.keys(calls).map((name) => [
      name,
      () => {
        throw new Error(`${name} is not available yet`);
      },
    ]),
  ) as unknown as CallHandlers;
  const dispatch = createCallDispatcher({ ...pending, 'app.version': () => ({ version: app.getVersion() }) }, (call, error) => {
    console.error(`skiff: ${call} failed`, error);
  });
  bindContractToIpc(ipcMain, renderer.origin, dispatch);
  shellReady = true;
  showMainWindow();
  services.start().catch((error: unknown) => {
    console.error('skiff: a background service failed to start', error);
  });
}

/** Quitting waits for the services to stop; a second quit request while stopping is ignored. */
function stopServicesBeforeQuit(): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    services
      .stop()
      .catch((error: unknown) => {
        console.error('skiff: services did not stop cleanly', error);
      })
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  });
}

registerRendererScheme();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, renderer.origin);
  });
  app.on('second-instance', showMainWindow);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  stopServicesBeforeQuit();
  start().catch((error: unknown) => {
    console.error('skiff: failed to start', error);
    app.exit(1);
  });
}
