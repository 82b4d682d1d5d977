/** Go's base64.StdEncoding decoding as encoding/json applies it to []byte fields (Secret data, binaryData). */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export type Base64Result = { ok: true; bytes: number } | { ok: false; error: string };

/**
 * Decodes the way Go does (padding required, \r and \n ignored; a port of decodeQuantum) and reports Go's
 * error text, `illegal base64 data at input byte N`, on failure. Only the decoded length is returned.
 */
export function decodeBase64Length(s: string): Base64Result {
  const fail = (at: number): Base64Result => ({ ok: false, error: `illegal base64 data at input byte ${at}` });
  const isNewline = (ch: string): boolean => ch === '\n' || ch === '\r';
  let si = 0;
  let bytes = 0;
  for (;;) {
    let chars = 4;
    let finished = false;
    for (let j = 0; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return { ok: true, bytes };
        return fail(si - j);
      }
      const ch = s[si];
      si++;
      if (ALPHABET.includes(ch)) continue;
      if (isNewline(ch)) {
        j--;
        continue;
      }
      if (ch !== '=' || j < 2) return fail(si - 1);
      if (j === 2) {
        // "==" is required after two characters.
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return fail(s.length);
        if (s[si] !== '=') return fail(si - 1);
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      if (si < s.length) return fail(si);
      chars = j;
      finished = true;
      break;
    }
    bytes += chars - 1;
    if (finished) return { ok: true, bytes };
  }
}

/** base64 of a UTF-8 string (stringData -> data). */
export function encodeBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
