import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy';

describe('contentSecurityPolicy', () => {
  it('is strict in production', () => {
    expect(contentSecurityPolicy('production', 'header')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('leaves frame-ancestors out of the <meta> form', () => {
    expect(contentSecurityPolicy('production', 'meta')).not.toContain('frame-ancestors');
  });

  it('allows inline script and style only in development', () => {
    expect(contentSecurityPolicy('production', 'header')).not.toContain('unsafe-inline');
    expect(contentSecurityPolicy('development', 'header')).toContain("script-src 'self' 'unsafe-inline'");
  });

  it('matches the <meta> in src-renderer/index.html', () => {
    const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(contentSecurityPolicy('production', 'meta'));
  });
});
