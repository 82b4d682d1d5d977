import path from 'node:path';
import { isAppUrl } from './app-origin';
import { RENDERER_ORIGIN } from './renderer-location';

/**
 * The file under `rendererDir` that an app:// request names, or null when the request is for another
 * origin, is malformed, or would escape the directory (encoded `..`, absolute paths, NUL bytes).
 */
export function rendererFilePath(rendererDir: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl, RENDERER_ORIGIN)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(root + path.sep) ? file : null;
}
