/** A strict flag parser: unknown flags, missing values and malformed numbers are usage errors. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagSpec = Record<string, { type: 'string' | 'port' | 'bool'; description: string }>;

export type FlagValues<S extends FlagSpec> = {
  [K in keyof S]?: S[K]['type'] extends 'bool' ? boolean : S[K]['type'] extends 'port' ? number : string;
};

/** Parse `--name value`, `--name=value` and bare `--flag` for bools. Positional arguments are refused. */
export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S): FlagValues<S> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const def = spec[name];
    if (!def) {
      const known = Object.keys(spec).map((k) => `--${k}`).join(', ');
      throw new UsageError(`unknown flag --${name}${known ? ` (known flags: ${known})` : ''}`);
    }
    if (name in out) throw new UsageError(`flag --${name} given more than once`);
    if (def.type === 'bool') {
      if (eq >= 0) {
        const v = arg.slice(eq + 1);
        if (v !== 'true' && v !== 'false') throw new UsageError(`flag --${name} takes true or false, not ${JSON.stringify(v)}`);
        out[name] = v === 'true';
      } else out[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`flag --${name} needs a value`);
      i++;
    }
    if (value === '') throw new UsageError(`flag --${name} needs a non-empty value`);
    if (def.type === 'port') {
      if (!/^\d+$/.test(value) || Number(value) > 65535) {
        throw new UsageError(`flag --${name} must be a port number from 0 to 65535, not ${JSON.stringify(value)}`);
      }
      out[name] = Number(value);
    } else {
      out[name] = value;
    }
  }
  return out as FlagValues<S>;
}

export function flagHelp(spec: FlagSpec): string {
  return Object.entries(spec)
    .map(([k, v]) => `  --${k}${v.type === 'bool' ? '' : v.type === 'port' ? ' N' : ' VALUE'}`.padEnd(28) + v.description)
    .join('\n');
}
