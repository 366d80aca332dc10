import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { configDefaults, defineConfig } from 'vitest/config';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/helpers/chromium.ts';

/*
 * Tests come in three tiers (npm run test:unit, test:integration, test:e2e; npm test runs all):
 *   unit         pure and fast: the engine, recipes, CSV reading and writing, renderer logic;
 *                no child process, server or database.
 *   integration  real SQLite stores, PostgreSQL, the CLI (in-process or as a process), the
 *                HTTP server; `integration-example` holds the tests that read the one run of
 *                the example project on the real data, made once by its globalSetup.
 *   e2e          a real Chromium: tests/e2e against the built UI, and the component tests.
 * A test file's folder gives its tier, but for the few listed here. `npm run test:tiers`
 * fails if a test file is in no tier or in two.
 */
const UNIT_ELSEWHERE = [
  'tests/orchestrator/run-date-names.test.ts',
  'tests/orchestrator/debug-log.test.ts',
  'tests/store/credentials.test.ts',
  'tests/orchestrator/decide.test.ts', // the pure scheduling decision
  'tests/sinks/postgres-sql.test.ts', // SQL built as text, no database
  'tests/sinks/pg-inserver-sql.test.ts', // the in-server load's SQL as text, no database
  'tests/app/shell-logic.test.ts', // the desktop shell's pure parts, no Electron
];
const INTEGRATION_ELSEWHERE = [
  'tests/engine/regex.test.ts', // a child process with a deadline
  'tests/io/recipe-fuzz.test.ts', // runs the CLI
];
const EXAMPLE_RUN = [
  'tests/cli/example-graph.test.ts',
  'tests/cli/features-parity.test.ts',
  'tests/cli/reports-parity.test.ts',
  'tests/cli/cli.test.ts',
  'tests/cli/run-reports.test.ts',
];

/**
 * Real runs over real files, awaited in-process: on a busy 2-core machine a minute is not
 * always enough (a child process run with spawnSync could never time out; these can).
 */
const SLOW = { testTimeout: 180_000, hookTimeout: 180_000 };

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits on a condition; its default second is short for a busy machine.
    expect: { poll: { timeout: 30_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'tests/engine/**/*.test.ts',
            'tests/io/**/*.test.ts',
            'tests/{docs,architecture}/**/*.test.ts',
            'src-renderer/**/*.test.ts',
            ...UNIT_ELSEWHERE,
          ],
          exclude: [...configDefaults.exclude, ...INTEGRATION_ELSEWHERE],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          ...SLOW,
          include: [
            'tests/{api,app,cli,orchestrator,packaging,service,sinks,store}/**/*.test.ts',
            ...INTEGRATION_ELSEWHERE,
          ],
          exclude: [...configDefaults.exclude, ...UNIT_ELSEWHERE, ...EXAMPLE_RUN],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration-example',
          ...SLOW,
          include: EXAMPLE_RUN,
          globalSetup: ['tests/setup/example-run.ts'],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          pool: 'forks',
        },
      },
      {
        extends: true,
        plugins: [react()],
        // Loaded by a dynamic import on first use: optimized up front, or Vite would find them
        // mid-test and reload the page.
        optimizeDeps: {
          include: [
            '@codemirror/autocomplete',
            '@codemirror/commands',
            '@codemirror/language',
            '@codemirror/lint',
            '@codemirror/state',
            '@codemirror/view',
            '@lezer/highlight',
          ],
        },
        test: {
          name: 'components',
          include: ['src-renderer/**/*.test.tsx'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              // Component tests run in the same Chromium as the end-to-end tests.
              launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
