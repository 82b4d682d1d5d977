import { malformed } from './patch-error';

/** Splits an RFC 6901 JSON Pointer into unescaped reference tokens; "" is the whole document. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw malformed(`invalid JSON pointer "${pointer}": must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw malformed(`invalid JSON pointer "${pointer}": "~" must be followed by 0 or 1`);
      // ~1 first, so that "~01" becomes "~1" and not "/"
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** The inverse of parseJsonPointer. */
export function formatJsonPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * An array index token: "0" or digits without a leading zero. Returns undefined for anything else
 * ("-", "01", "1e2", "-1"), which callers treat as "no such element".
 */
export function parseArrayIndex(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return Number.isSafeInteger(index) ? index : undefined;
}
