// Lint rules, including the layer directions of DESIGN.md: a wrong import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'net',
  'http',
  'https',
  'stream',
  'crypto',
  'url',
  'zlib',
  'readline',
  'util',
  'events',
  'buffer',
  'module',
  'process',
  'string_decoder',
  'timers',
  'perf_hooks',
  'tty',
  'dns',
  'assert',
  'v8',
  'vm',
];
const builtinPatterns = nodeBuiltins.flatMap((m) => [m, `${m}/*`, `node:${m}`, `node:${m}/*`]);
const drivers = ['better-sqlite3', 'pg', 'pg-copy-streams', 'electron', 'papaparse'];

/** A restriction on what a folder may import. */
function layer(files, groups, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      '.sluice-tmp/**',
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      'coverage/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src-renderer/**/*'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    // A hook after an early return blanks the window the first time the branch changes.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  layer(
    ['src-shared/**/*'],
    [...builtinPatterns, ...drivers, '**/src-main/**', '**/src-renderer/**', 'react', 'react-dom'],
    'src-shared is the contract: no Node, no DOM, no drivers, no imports from main or renderer.',
  ),
  layer(
    ['src-main/engine/**/*'],
    [
      ...builtinPatterns,
      ...drivers,
      '**/io/**',
      '**/store/**',
      '**/sinks/**',
      '**/orchestrator/**',
      '**/preview/**',
      '**/service/**',
      '**/transports/**',
      '**/cli/**',
      '**/app/**',
      '**/src-renderer/**',
    ],
    'The engine is pure: tables in, tables and events out. No fs, drivers, Electron or upper layers.',
  ),
  layer(
    [
      'src-main/io/**/*',
      'src-main/store/**/*',
      'src-main/sinks/**/*',
      'src-main/orchestrator/**/*',
      'src-main/preview/**/*',
    ],
    [
      'electron',
      '**/service/**',
      '**/transports/**',
      '**/cli/**',
      '**/app/**',
      '**/src-renderer/**',
    ],
    'io, store, sinks, orchestrator and preview sit below the service: no Electron, no service, transports, CLI or app.',
  ),
  layer(
    ['src-main/service/**/*'],
    ['electron', '**/transports/**', '**/cli/**', '**/app/**', '**/src-renderer/**'],
    'The service implements the contract once; transports, CLI and app call it, not the reverse.',
  ),
  layer(
    ['src-main/transports/**/*'],
    [
      ...drivers,
      '**/engine/**',
      '**/io/**',
      '**/store/**',
      '**/sinks/**',
      '**/orchestrator/**',
      '**/preview/**',
      '**/cli/**',
      '**/app/**',
      '**/src-renderer/**',
    ],
    'Transports hold no logic: they carry the contract to the service (ipcMain is passed in).',
  ),
  layer(
    ['src-main/cli/**/*'],
    ['electron', '**/app/**', '**/src-renderer/**'],
    'The CLI runs headless: no Electron.',
  ),
  layer(
    ['src-renderer/**/*'],
    [...builtinPatterns, ...drivers, '**/src-main/**'],
    'The renderer imports only src-shared and talks to the service through the API client.',
  ),
);
