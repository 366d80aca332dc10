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
const drivers = [
  'better-sqlite3',
  'pg',
  'pg-connection-string',
  'pg-copy-streams',
  'electron',
  'papaparse',
];

/*
 * The folders of src-main from the bottom up. A folder may import the ones below it, never the
 * ones above; demo (sample data) and preload sit aside and only the CLI (demo) or Electron
 * (preload) load them.
 */
const TOP = ['service', 'transports', 'cli', 'app', 'preload', 'demo'];
const ABOVE_SERVICE = TOP.slice(1);
const ABOVE_ORCHESTRATOR = ['service', ...ABOVE_SERVICE];
const ABOVE_SINKS = ['orchestrator', 'preview', 'reports', ...ABOVE_ORCHESTRATOR];
const ABOVE_STORE = ['sinks', ...ABOVE_SINKS];
// sqlite (the one door to better-sqlite3) sits on nothing but the driver, below store and sinks.
const ABOVE_IO = ['sqlite', 'store', ...ABOVE_STORE];
const ABOVE_ENGINE = ['io', ...ABOVE_IO];
/** Import patterns for folders of src-main, plus the renderer, which main never imports. */
const folders = (names) => [...names.map((n) => `**/${n}/**`), '**/src-renderer/**'];

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
    [...builtinPatterns, ...drivers, ...folders(ABOVE_ENGINE)],
    'The engine is pure: tables in, tables and events out. No fs, drivers, Electron or upper layers.',
  ),
  layer(
    ['src-main/io/**/*'],
    [...drivers, ...folders(ABOVE_IO)],
    'io reads and writes files for the layers above it: no drivers, no store, sinks, orchestrator or anything higher.',
  ),
  layer(
    ['src-main/sqlite/**/*'],
    [
      'electron',
      'pg',
      'pg-connection-string',
      'pg-copy-streams',
      '**/engine/**',
      '**/io/**',
      ...folders(ABOVE_IO.slice(1)),
    ],
    'sqlite opens SQLite databases with the right native build; it imports the driver alone.',
  ),
  layer(
    ['src-main/store/**/*'],
    [
      'better-sqlite3',
      'electron',
      'pg',
      'pg-connection-string',
      'pg-copy-streams',
      '**/engine/**',
      ...folders(ABOVE_STORE),
    ],
    'The run store records runs; it sits on io and sqlite alone (better-sqlite3 only through sqlite/open), below sinks and the orchestrator.',
  ),
  layer(
    ['src-main/sinks/**/*'],
    ['better-sqlite3', 'electron', '**/store/**', ...folders(ABOVE_SINKS)],
    'Sinks load tables into files and databases (better-sqlite3 only through sqlite/open); they know nothing of runs, previews or the layers above.',
  ),
  layer(
    ['src-main/orchestrator/**/*'],
    ['electron', ...folders(ABOVE_ORCHESTRATOR)],
    'The orchestrator sits below the service: no Electron, no service, transports, CLI or app.',
  ),
  layer(
    ['src-main/preview/**/*'],
    [...drivers, '**/store/**', '**/sinks/**', ...folders(ABOVE_ORCHESTRATOR)],
    'Previews read sources and run steps; they never touch the run store, a sink or the layers above.',
  ),
  layer(
    ['src-main/reports/**/*'],
    [
      'electron',
      'pg',
      'pg-copy-streams',
      '**/sinks/**',
      '**/orchestrator/**',
      '**/preview/**',
      ...folders(ABOVE_ORCHESTRATOR),
    ],
    'Reports read what a run recorded (the run store) and the files it wrote; no Electron (the app passes its PDF printer in), no sinks, orchestrator or layers above.',
  ),
  layer(
    ['src-main/service/**/*'],
    ['electron', ...folders(ABOVE_SERVICE)],
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
      ...folders(ABOVE_SERVICE.filter((f) => f !== 'transports')),
    ],
    'Transports hold no logic: they carry the contract to the service (ipcMain is passed in).',
  ),
  layer(
    ['src-main/cli/**/*'],
    ['electron', '**/app/**', '**/preload/**', '**/src-renderer/**'],
    'The CLI runs headless: no Electron.',
  ),
  layer(
    ['src-main/app/**/*'],
    [
      'better-sqlite3',
      'pg',
      'pg-connection-string',
      'pg-copy-streams',
      '**/engine/**',
      '**/io/**',
      '**/sinks/**',
      '**/orchestrator/**',
      '**/preview/**',
      '**/cli/**',
      '**/demo/**',
      '**/preload/**',
      '**/src-renderer/**',
    ],
    'The app is the window around the service: it wires Electron to the service and transports, nothing deeper.',
  ),
  {
    files: ['src-main/preload/**/*'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!electron$|(\\.\\./)+src-shared/)',
              message:
                'The preload bridges one checked invoke and subscribe: it imports only electron and src-shared.',
            },
          ],
        },
      ],
    },
  },
  layer(
    ['src-main/demo/**/*'],
    [...drivers, ...folders(ABOVE_ENGINE.filter((f) => f !== 'demo'))],
    'Demo data is made from the engine alone; only the CLI uses it.',
  ),
  layer(
    ['src-renderer/**/*'],
    [...builtinPatterns, ...drivers, '**/src-main/**'],
    'The renderer imports only src-shared and talks to the service through the API client.',
  ),
);
