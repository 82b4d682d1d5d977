/** Production is strict; development adds what Vite's dev server needs (inline React-refresh preamble, injected <style>). */
export type CspMode = 'production' | 'development';

/** A header carries every directive; a <meta> cannot carry `frame-ancestors` (browsers ignore it there, with a warning). */
export type CspDelivery = 'header' | 'meta';

/** The Content-Security-Policy of the app's own pages. */
export function contentSecurityPolicy(mode: CspMode, delivery: CspDelivery): string {
  const relaxedForDev = mode === 'development' ? ["'unsafe-inline'"] : [];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...relaxedForDev]],
    ['style-src', ["'self'", ...relaxedForDev]],
    ['connect-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
  ];
  if (delivery === 'header') directives.push(['frame-ancestors', ["'none'"]]);
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
