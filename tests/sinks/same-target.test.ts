/**
 * Two outputs of one pipeline that write the same table or file: `sluice validate` and the run
 * refuse them at once, naming the pipeline and the target, instead of loading into it twice.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { query, testSchema } from '../helpers/pg';
import { tempDir } from '../helpers/tmp';

const schema = testSchema();
// --target postgres loads into schema sluice, shared with other tests: a name of this process.
const table = `twice_${process.pid}`;
afterAll(() => query(`DROP TABLE IF EXISTS sluice."${table}"`));

const root = tempDir();
let made = 0;

function project(outputs: string): string {
  const dir = join(root, `p${made++}`);
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  writeFileSync(join(dir, 'sluice.yaml'), 'name: twice\nstore: store.db\n');
  writeFileSync(join(dir, 'in.csv'), 'id,name\n1,a\n2,b\n');
  writeFileSync(
    join(dir, 'pipelines', 'orders.yaml'),
    `name: orders\nsource: {path: in.csv}\nsteps:\n  - step: cast\n    columns: {id: int}\noutputs:\n${outputs}`,
  );
  return dir;
}

const cases: [string, string, RegExp][] = [
  [
    'PostgreSQL table',
    `  - {kind: postgres, schema: ${schema}, table: orders, key: [id]}\n  - {kind: csv, path: out/orders.csv}\n  - {kind: postgres, schema: ${schema}, table: orders, mode: append}\n`,
    new RegExp(
      `orders\\.yaml: outputs 1 and 3 of pipeline orders both write PostgreSQL table ${schema}\\.orders \\(connection default\\)`,
    ),
  ],
  [
    'CSV file',
    '  - {kind: csv, path: out/orders.csv}\n  - {kind: csv, path: ./out/../out/orders.csv}\n',
    /orders\.yaml: outputs 1 and 2 of pipeline orders both write CSV file .*out[/\\]orders\.csv/,
  ],
  [
    'SQLite table',
    '  - {kind: sqlite, table: orders}\n  - {kind: sqlite, path: out/twice.sqlite, table: ORDERS}\n',
    /orders\.yaml: outputs 1 and 2 of pipeline orders both write SQLite table ORDERS in .*out[/\\]twice\.sqlite/,
  ],
];

describe('two outputs of one pipeline into one target', () => {
  for (const [what, outputs, message] of cases)
    it(`${what}: validate and run refuse it, naming pipeline and target`, async () => {
      const dir = project(outputs);
      const v = await sluiceIn(['validate', dir]);
      expect(v.stderr).toMatch(message);
      expect(v.code).toBe(2);
      const t0 = Date.now();
      const r = await sluiceIn(['run', dir, '--json']);
      const rep = JSON.parse(r.stdout) as RunReport;
      expect(rep.pipelines[0]).toMatchObject({ status: 'failed', error: { code: 'config' } });
      expect(rep.pipelines[0].error!.message).toMatch(message);
      expect(Date.now() - t0).toBeLessThan(60_000);
    });

  it('with --target postgres, two SQLite outputs of one table name in different files meet in one PostgreSQL table: the run refuses', async () => {
    const dir = project(
      `  - {kind: sqlite, path: out/a.sqlite, table: ${table}}\n  - {kind: sqlite, path: out/b.sqlite, table: ${table}}\n`,
    );
    expect((await sluiceIn(['validate', dir])).code).toBe(0);
    const r = await sluiceIn(['run', dir, '--target', 'postgres', '--json']);
    const rep = JSON.parse(r.stdout) as RunReport;
    expect(rep.pipelines[0].error?.message).toMatch(
      new RegExp(
        `outputs 1 and 2 of pipeline orders both write PostgreSQL table sluice\\.${table} `,
      ),
    );
  });
});
