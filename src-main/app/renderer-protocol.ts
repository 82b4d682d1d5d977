import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { rendererFilePath } from './renderer-file-path';
import { RENDERER_SCHEME } from './renderer-location';

/** Must run before `app` is ready: makes app:// a standard, secure scheme with a real origin. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer from `rendererDir` on app://skiff, every response carrying the CSP header. */
export function serveRendererFiles(rendererDir: string, csp: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const file = rendererFilePath(rendererDir, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    let response: Response;
    try {
      response = await net.fetch(pathToFileURL(file).toString());
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    return new Response(response.body, { status: response.status, headers });
  });
}
