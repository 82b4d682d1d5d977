// Bundles the `skiff` command into out/cli/skiff.cjs (run by `npm ci` through the prepare script).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src-main/cli/main.ts'],
  outfile: 'out/cli/skiff.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // Native or rarely-needed modules stay outside so start-up only loads what it uses.
  external: ['better-sqlite3', '@peculiar/x509', 'reflect-metadata', 'electron', 'bufferutil', 'utf-8-validate', 'dockerode', 'ssh2', 'cpu-features'],
  define: { SKIFF_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
