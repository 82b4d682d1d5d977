/**
 * Renders values the way Go's fmt prints them inside field errors (`%q`, `%#v`), so messages read like the
 * real apiserver's: `Invalid value: "x"`, `map[string]string{"app":"web"}`.
 */

/** Go's %q for a string (printable Unicode kept, control characters escaped). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
        else out += ch;
    }
  }
  return out + '"';
}

/** A value already rendered as Go would print it (struct literals, maps, ...). */
export class GoLiteral {
  constructor(readonly text: string) {}
}

/** `%#v` of a map[string]string: keys sorted, `map[string]string(nil)` when absent. */
export function goStringMap(m: Record<string, string> | undefined): GoLiteral {
  if (m === undefined) return new GoLiteral('map[string]string(nil)');
  const keys = Object.keys(m).sort();
  return new GoLiteral(`map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(m[k])}`).join(', ')}}`);
}

/** `%#v` of a []string. */
export function goStringSlice(values: string[] | undefined): GoLiteral {
  if (values === undefined) return new GoLiteral('[]string(nil)');
  return new GoLiteral(`[]string{${values.map(goQuote).join(', ')}}`);
}
