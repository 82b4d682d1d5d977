// @ts-check
// CommonJS on purpose: package.json has no "type", and this file must load without module-type guessing.
const { builtinModules } = require('node:module');
const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];

/** The top-level folders of src-main (architecture.md). */
const AREAS = ['contract', 'engine', 'desk', 'app', 'server', 'cli', 'preload'];

/**
 * Imports that reach into other src-main areas, as a relative path that climbs into them
 * (`../engine/x`, `../../desk`) or one that names `src-main/<area>` outright.
 * Requiring the `..` keeps a file's own `./server.ts` or `./app/` from matching.
 */
function intoAreas(areas, why) {
  const names = areas.join('|');
  return [
    { regex: `^(?:\\.\\./)+(?:${names})(?:/|$)`, caseSensitive: true, message: why },
    { regex: `(?:^|/)src-main/(?:${names})(?:/|$)`, caseSensitive: true, message: why },
  ];
}

const builtins = builtinModules.filter((name) => !name.startsWith('_')).join('|');
const nodeBuiltins = (why) => ({
  regex: `^(?:node:.+|(?:${builtins})(?:/.*)?)$`,
  caseSensitive: true,
  message: why,
});
const electron = (why) => ({ regex: '^electron(?:/|$)', caseSensitive: true, message: why });
const others = (area) => AREAS.filter((name) => name !== area);

/** One block per layer: a later block would replace, not extend, an earlier one's rule options. */
const boundaries = [
  {
    files: ['src-main/contract/**'],
    patterns: [
      ...intoAreas(others('contract'), 'contract imports nothing of ours outside contract (architecture.md).'),
      { regex: '(?:^|/)src-renderer(?:/|$)', caseSensitive: true, message: 'contract imports nothing of ours outside contract.' },
      electron('contract is loaded by the renderer too: no electron.'),
      nodeBuiltins('contract is loaded by the renderer too: no Node builtins.'),
    ],
  },
  {
    files: ['src-main/engine/**'],
    patterns: [
      ...intoAreas(['desk', 'app', 'server', 'cli', 'preload'], 'engine never imports desk, app, server, cli or preload.'),
      electron('engine runs headless (CLI, CI): it never imports electron.'),
    ],
  },
  {
    files: ['src-main/desk/**'],
    patterns: [
      ...intoAreas(['engine'], 'desk reaches the engine over the Kubernetes API like any cluster, never by import.'),
      ...intoAreas(['app', 'server', 'cli', 'preload'], 'desk is composed by app/server/cli; it does not import them.'),
      electron('desk also runs in web mode (server): no electron.'),
    ],
  },
  {
    files: ['src-main/preload/**'],
    patterns: [
      ...intoAreas(others('preload').filter((name) => name !== 'contract'), 'preload imports only contract and electron.'),
      { regex: '^(?![./]|electron$)', caseSensitive: true, message: 'preload imports only contract and electron.' },
    ],
  },
  {
    files: ['src-renderer/**'],
    patterns: [
      {
        regex: '(?:^|/)src-main/(?!contract(?:/|$))',
        caseSensitive: true,
        message: 'src-renderer imports only types and schemas from src-main/contract.',
      },
      electron('the renderer talks to the backend only through the contract (window.skiff).'),
      nodeBuiltins('the renderer runs in a sandboxed browser page: no Node builtins.'),
    ],
  },
].map(({ files, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } }));

module.exports = [
  { ignores: ['out/', 'dist/', 'node_modules/', 'bin/', 'test-results/', 'playwright-report/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  { files: JS_FILES, ...js.configs.recommended },
  {
    files: JS_FILES,
    languageOptions: { globals: globals.node, sourceType: 'module' },
  },
  { files: ['eslint.config.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },

  ...tseslint.configs.recommended.map((config) => ({ ...config, files: TS_FILES })),
  {
    files: TS_FILES,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src-renderer/**'], languageOptions: { globals: globals.browser } },

  ...boundaries,
];
