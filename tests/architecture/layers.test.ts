/**
 * The layer rules of eslint.config.js, checked against imports that must fail and imports that
 * must pass: a rule that stops matching (a renamed folder, a pattern typo) fails here instead of
 * letting wrong imports through silently.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Whether lint refuses `source` imported from a file at `file`. */
async function refused(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import '${source}';\n`, { filePath: file });
  return result.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

// [file, import, refused?]
const cases: [string, string, boolean][] = [
  ['src-shared/api/x.ts', 'node:fs', true],
  ['src-shared/api/x.ts', '../../src-main/engine/table', true],
  ['src-shared/api/x.ts', 'zod', false],
  ['src-main/engine/x.ts', 'node:fs', true],
  ['src-main/engine/x.ts', '../io/csv-read', true],
  ['src-main/engine/x.ts', '../../src-shared/recipe/steps', false],
  ['src-main/io/x.ts', '../store/paths', true],
  ['src-main/io/x.ts', '../sinks/index', true],
  ['src-main/io/x.ts', 'better-sqlite3', true],
  ['src-main/io/x.ts', '../engine/table', false],
  ['src-main/io/x.ts', 'node:fs', false],
  ['src-main/store/x.ts', '../sinks/index', true],
  ['src-main/store/x.ts', '../orchestrator/graph', true],
  ['src-main/store/x.ts', 'pg', true],
  ['src-main/store/x.ts', '../io/pid', false],
  ['src-main/io/x.ts', '../sqlite/open', true],
  ['src-main/sqlite/x.ts', 'better-sqlite3', false],
  ['src-main/sqlite/x.ts', '../io/pid', true],
  ['src-main/sqlite/x.ts', '../store/store', true],
  ['src-main/store/x.ts', 'better-sqlite3', true],
  ['src-main/store/x.ts', '../sqlite/open', false],
  ['src-main/sinks/x.ts', '../orchestrator/graph', true],
  ['src-main/sinks/x.ts', '../store/store', true],
  ['src-main/sinks/x.ts', '../io/csv-write', false],
  ['src-main/sinks/x.ts', 'pg', false],
  ['src-main/sinks/x.ts', 'pg-connection-string', false],
  ['src-main/store/x.ts', 'pg-connection-string', true],
  ['src-main/sinks/x.ts', 'better-sqlite3', true],
  ['src-main/sinks/x.ts', '../sqlite/open', false],
  ['src-main/orchestrator/x.ts', '../service/recent', true],
  ['src-main/orchestrator/x.ts', '../demo/random', true],
  ['src-main/orchestrator/x.ts', 'electron', true],
  ['src-main/orchestrator/x.ts', '../sinks/index', false],
  ['src-main/orchestrator/x.ts', '../store/store', false],
  ['src-main/preview/x.ts', '../store/store', true],
  ['src-main/preview/x.ts', '../sinks/index', true],
  ['src-main/preview/x.ts', '../service/recent', true],
  ['src-main/preview/x.ts', '../io/csv-read', false],
  ['src-main/reports/x.ts', 'electron', true],
  ['src-main/reports/x.ts', '../service/errors', true],
  ['src-main/reports/x.ts', '../sinks/index', true],
  ['src-main/reports/x.ts', '../orchestrator/graph', true],
  ['src-main/reports/x.ts', '../store/store', false],
  ['src-main/reports/x.ts', '../io/csv-read', false],
  ['src-main/reports/x.ts', 'exceljs', false],
  ['src-main/store/x.ts', '../reports/model', true],
  ['src-main/service/x.ts', '../reports/html', false],
  ['src-main/service/x.ts', '../transports/http', true],
  ['src-main/service/x.ts', '../demo/random', true],
  ['src-main/service/x.ts', 'electron', true],
  ['src-main/service/x.ts', '../orchestrator/graph', false],
  ['src-main/transports/x.ts', '../orchestrator/graph', true],
  ['src-main/transports/x.ts', '../service/api-service', false],
  ['src-main/cli/x.ts', 'electron', true],
  ['src-main/cli/x.ts', '../app/main', true],
  ['src-main/cli/x.ts', '../demo/sample-data', false],
  ['src-main/app/x.ts', '../orchestrator/graph', true],
  ['src-main/app/x.ts', '../engine/table', true],
  ['src-main/app/x.ts', '../cli/main', true],
  ['src-main/app/x.ts', '../service/api-service', false],
  ['src-main/app/x.ts', 'electron', false],
  ['src-main/preload/x.ts', '../service/recent', true],
  ['src-main/preload/x.ts', 'node:fs', true],
  ['src-main/preload/x.ts', 'zod', true],
  ['src-main/preload/x.ts', 'electron', false],
  ['src-main/preload/x.ts', '../../src-shared/bridge', false],
  ['src-main/demo/x.ts', '../io/pid', true],
  ['src-main/demo/x.ts', '../service/recent', true],
  ['src-main/demo/x.ts', '../engine/dates', false],
  ['src-renderer/features/x.ts', '../../src-main/service/api-service', true],
  ['src-renderer/features/x.ts', 'node:fs', true],
  ['src-renderer/features/x.ts', '../../src-shared/api/contract', false],
];

describe('layer rules', () => {
  it.each(cases)('%s importing %s: refused %s', async (file, source, expected) => {
    expect(await refused(file, source)).toBe(expected);
  });
});
