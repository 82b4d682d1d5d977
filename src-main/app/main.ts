import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { defaultStateDir } from '../cli/paths';
import { createConsoleBackend } from './console-backend';
import { contentSecurityPolicy } from './content-security-policy';
import { bindContractToIpc, bindSubscriptionsToIpc } from './ipc-bridge';
import { isOpenableForwardUrl } from './external-url';
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

/**
 * The engine runs as `skiff engine start` in a child process (Electron running as Node with the CLI bundle),
 * so a crash of the engine never takes the window with it; SKIFF_NO_ENGINE=1 runs without one.
 */
const backend = createConsoleBackend({
  info: { version: app.getVersion(), transport: 'ipc', platform: process.platform },
  stateDir: defaultStateDir(),
  engineCommand:
    process.env.SKIFF_NO_ENGINE === '1'
      ? null
      : {
          command: process.execPath,
          args: [path.join(__dirname, '../cli/skiff.cjs')],
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        },
  onEngineOutput: (line) => console.log(`engine: ${line}`),
  onHandlerError: (name, error) => console.error(`skiff: ${name} failed`, error),
  // The contract already refused anything but http://127.0.0.1:<port>/; parse it once more before the OS sees it.
  openExternal: async (url) => {
    if (!isOpenableForwardUrl(url)) throw new Error(`refused to open ${JSON.stringify(url.slice(0, 80))}`);
    await shell.openExternal(url);
  },
});

// The window never waits on the services, and a failed engine does not close the app: the console still
// works against every other cluster, and the engine status (with the reason) is in the contract.
const services = new ServiceLifecycle(backend.services);

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
  bindContractToIpc(ipcMain, renderer.origin, backend.dispatch);
  bindSubscriptionsToIpc(ipcMain, renderer.origin, backend.subscriptions, (name, error) => {
    console.error(`skiff: ${name} failed`, error);
  });
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
