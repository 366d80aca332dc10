/**
 * A pipeline whose source is a PostgreSQL table or query, run by the real `sluice` command with
 * the local engine: typed columns reach the steps, the books balance, rejects keep the row read,
 * and a source that is not there fails the run with the connection, the table and the reason.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { query, testSchema } from '../helpers/pg';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
const schema = testSchema();

function project(name: string, source: string, steps: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, 'pipelines'), { recursive: true });
  writeFileSync(join(p, 'sluice.yaml'), `name: ${name}\n`);
  writeFileSync(
    join(p, 'pipelines', 'orders.yaml'),
    `name: orders\nsource:\n  postgres: ${source}\nsteps:\n${steps}\noutputs:\n  - {kind: csv, path: out/orders.csv}\n`,
  );
  return p;
}

async function run(p: string, ...more: string[]): Promise<RunReport> {
  const r = await sluiceIn(['run', p, '--json', '--store', join(p, 'store.db'), ...more]);
  return JSON.parse(r.stdout) as RunReport;
}

beforeAll(async () => {
  await query(`CREATE SCHEMA "${schema}"`);
  await query(
    `CREATE TABLE "${schema}".orders AS SELECT g AS id, (g * 1.5)::numeric(8,2) AS amount,
       date '2020-01-01' + g AS day, CASE WHEN g % 4 = 0 THEN NULL ELSE ' item ' || g END AS item
     FROM generate_series(1, 1000) g`,
  );
});

describe('a PostgreSQL source in a run', () => {
  it('reads a table with its types, through the steps, into a CSV', async () => {
    const p = project(
      'a',
      `{table: ${schema}.orders}`,
      `  - step: trim\n  - step: filter\n    where: amount > 1000 and day < "2022-01-01"\n  - step: cast\n    columns: {item: int}\n    on_error: reject\n`,
    );
    const report = await run(p);
    expect(report.status).toBe('succeeded');
    const pl = report.pipelines[0];
    expect(pl.source.path).toContain(`table ${schema}.orders on connection default`);
    // 667..1000 pass the amount filter; day < 2022-01-01 keeps g <= 730; every item is text.
    expect(pl.rowsIn).toBe(1000);
    expect(pl.rowsRemoved).toBe(666 + 270);
    // The 48 non-null items of g 667..730 ("item 667" is not a whole number).
    expect(pl.rowsRejected).toBe(48);
    const csv = readFileSync(join(p, 'out', 'orders.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('id,amount,day,item');
    expect(csv[1]).toBe('668,1002,2021-10-30,');
    expect(csv.length - 1).toBe(pl.rowsOut);
    // No file: no encoding or delimiter is reported.
    expect(pl.source.encoding).toBe('');
    // In the database, the same rows, books and source.
    const inDb = await run(p, '--engine', 'postgres');
    expect(inDb.status).toBe('succeeded');
    const q = inDb.pipelines[0];
    expect(q.source.path).toBe(pl.source.path);
    expect(q.source.encoding).toBe('');
    expect([q.rowsIn, q.rowsRemoved, q.rowsRejected, q.rowsOut]).toEqual([
      pl.rowsIn,
      pl.rowsRemoved,
      pl.rowsRejected,
      pl.rowsOut,
    ]);
    expect(
      readFileSync(join(p, 'out', 'orders.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toEqual(csv);
  });

  it('reads a query', async () => {
    const p = project(
      'b',
      `{query: "select id, amount from ${schema}.orders where id <= 10 order by id desc"}`,
      `  - step: derive\n    columns: {double: amount * 2}\n`,
    );
    const report = await run(p);
    expect(report.status).toBe('succeeded');
    const csv = readFileSync(join(p, 'out', 'orders.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv.slice(0, 3)).toEqual(['id,amount,double', '10,15,30', '9,13.5,27']);
  });

  it('fails the run naming the connection, the table and what the server said', async () => {
    const report = await run(project('c', `{table: ${schema}.missing}`, '  - step: trim\n'));
    expect(report.status).toBe('failed');
    expect(report.pipelines[0].error?.message).toMatch(
      new RegExp(
        `table ${schema}\\.missing on connection default \\(postgres://.*\\): relation .* does not exist`,
      ),
    );
  });
});

describe('a PostgreSQL source in validate and explain (its columns asked of the server)', () => {
  it('validate checks the steps against the server columns, and names steps that run only locally', async () => {
    const p = project(
      'v',
      `{table: ${schema}.orders}`,
      `  - step: parse_numbers\n    columns: [amount]\n`,
    );
    // amount is numeric on the server, a number here: parse_numbers wants text.
    const bad = await sluiceIn(['validate', p]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('pipelines/orders.yaml');
    expect(bad.stdout + bad.stderr).toContain('amount');
    const local = project(
      'w',
      `{table: ${schema}.orders}`,
      `  - step: trim\n  - step: replace\n    columns: [item]\n    regex: 'i+'\n    with: I\n`,
    );
    const fine = await sluiceIn(['validate', local]);
    expect(fine.stdout).toContain('all valid');
    expect(fine.stdout).not.toContain('not checked');
    writeFileSync(join(local, 'sluice.yaml'), 'name: w\ndefaults:\n  engine: postgres\n');
    const named = await sluiceIn(['validate', local]);
    expect(named.code).not.toBe(0);
    expect(named.stdout + named.stderr).toContain(
      'pipelines/orders.yaml: step 2 (replace) runs only with the local engine',
    );
  });

  it('validate says which server it could not ask, and checks the rest', async () => {
    const p = project('x', `{table: ${schema}.orders}`, '  - step: trim\n');
    const r = await sluiceIn(['validate', p], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `orders \\(needs PostgreSQL ${schema}\\.orders, which could not be read: table ${schema}\\.orders on connection default .*ECONNREFUSED`,
      ),
    );
  });

  it('explain prints the SQL over the table where it is', async () => {
    const p = project(
      'e',
      `{query: "select id, item from ${schema}.orders where id <= 10"}`,
      `  - step: trim\n  - step: filter\n    where: id > 2\n`,
    );
    const r = await sluiceIn(['explain', p, '--pipeline', 'orders', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      sql: string;
      inputs: { input: string; relation: string }[];
      columns: { name: string; type: string }[];
    };
    const from = `(select id, item from ${schema}.orders where id <= 10) AS sluice_source`;
    expect(out.inputs).toEqual([
      { input: 'PostgreSQL query on connection default', relation: from },
    ]);
    expect(out.sql).toContain(`FROM ${from}`);
    expect(out.columns).toEqual([
      { name: 'id', type: 'int' },
      { name: 'item', type: 'string' },
    ]);
    // The SQL runs on the server as it is printed, and gives the rows a run gives.
    const rows = await query<{ id: number }>(out.sql);
    expect(rows.map((x) => Number(x.id))).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
