import { BrowserWindow, nativeTheme } from 'electron';

/** The console window. Security settings are spelled out even where they are Electron's defaults. */
export function createMainWindow(options: { entryUrl: string; preloadPath: string }): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Skiff',
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    // Matches the page background so a dark-mode launch does not flash white.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#020617' : '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  window.loadURL(options.entryUrl).catch((error: unknown) => {
    console.error(`skiff: could not load ${options.entryUrl}`, error);
  });
  return window;
}
