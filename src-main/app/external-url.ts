/**
 * The last check before shell.openExternal: only a port-forward on this machine, parsed (not pattern-matched
 * alone) so that nothing the OS would hand to another handler (file:, custom schemes, credentials) gets through.
 */
export function isOpenableForwardUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const port = Number(url.port);
  return (
    url.protocol === 'http:' &&
    url.hostname === '127.0.0.1' &&
    Number.isInteger(port) &&
    port >= 1 &&
    port <= 65_535 &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    url.href === value
  );
}
