import { originOf } from './app-origin';
import type { CspMode } from './content-security-policy';

/** The packaged renderer is served from this privileged scheme rather than file://, so it has a real origin. */
export const RENDERER_SCHEME = 'app';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://skiff`;

/** Where the window loads the console from, and the origin every security check compares against. */
export interface RendererLocation {
  mode: CspMode;
  origin: string;
  entryUrl: string;
}

/**
 * The dev server (electron-vite sets ELECTRON_RENDERER_URL) is honoured only in an unpackaged app,
 * so a packaged Skiff cannot be pointed at another page through its environment.
 */
export function resolveRendererLocation(options: {
  isPackaged: boolean;
  devServerUrl: string | undefined;
}): RendererLocation {
  const devOrigin = options.devServerUrl === undefined ? null : originOf(options.devServerUrl);
  if (!options.isPackaged && options.devServerUrl !== undefined && devOrigin?.startsWith('http')) {
    return { mode: 'development', origin: devOrigin, entryUrl: options.devServerUrl };
  }
  return { mode: 'production', origin: RENDERER_ORIGIN, entryUrl: `${RENDERER_ORIGIN}/index.html` };
}
