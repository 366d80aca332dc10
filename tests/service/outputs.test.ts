/**
 * A run's outputs read back as the Outputs view and `sluice export` read them, with real files:
 * a CSV, a table in the project's SQLite database and a table loaded into this machine's
 * PostgreSQL, each listed with its rows, opened a page at a time in a column's order, and
 * downloaded as CSV and as an Excel workbook with typed cells.
 */
import ExcelJS from 'exceljs';
import { readFileSync, rmSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, MethodName, Params } from '../../src-shared/api/contract';
import { SluiceService } from '../../src-main/service/api-service';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import { caller, type Call } from '../helpers/service';
import { testSchema } from '../helpers/pg';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

process.env.SLUICE_HOME = tempDir();
const SCHEMA = testSchema();
const ROWS = 120;

let svc: SluiceService;
let runId: string;
const call: Call = (m, p) => caller(svc)(m, p);
const failure = async <M extends MethodName>(m: M, p: Params<M>) => {
  const r = (await createDispatcher(svc.handlers)(m, p)) as ApiResult<unknown>;
  if (r.ok) throw new Error(`${m} did not fail`);
  return r.error;
};

beforeAll(async () => {
  const csv =
    'id,name,amount,day\n' +
    Array.from(
      { length: ROWS },
      (_, i) =>
        `${i + 1},n${(i * 7) % ROWS},${(i * 37) % 101}.5,2026-02-${String((i % 28) + 1).padStart(2, '0')}`,
    ).join('\n') +
    '\n';
  const dir = makeProject(
    {
      all: `source: {path: small.csv}\nsteps:\n  - step: cast\n    columns: {id: int, amount: float, day: date}\noutputs:\n  - {kind: csv, path: out/all.csv}\n  - {kind: sqlite, table: all_rows, mode: full}\n  - {kind: postgres, schema: ${SCHEMA}, table: all_rows, mode: full}\n`,
    },
    { name: 'outs', smallCsv: csv },
  );
  svc = await SluiceService.open(dir);
  runId = (await call('runs.start', {})).run_id;
  await svc.idle();
  expect((await call('runs.get', { run_id: runId })).run.status).toBe('succeeded');
}, 120_000);

afterAll(() => svc?.close());

describe('the outputs of a run', () => {
  it('lists the file and both tables with their rows, each one the window can open', async () => {
    const list = await call('outputs.list', {});
    expect(list.run?.id).toBe(runId);
    expect(list.outputs.map((o) => [o.output, o.kind, o.table, o.rows, o.cannot_open])).toEqual([
      [0, 'csv', null, ROWS, null],
      [1, 'sqlite', 'all_rows', ROWS, null],
      [2, 'postgres', 'all_rows', ROWS, null],
    ]);
    expect(list.outputs[0].bytes).toBeGreaterThan(1000);
    expect(list.outputs[2].bytes).toBeNull();
  });

  it('pages each in a column’s order, the same rows whichever store holds them', async () => {
    const pages = [];
    for (const output of [0, 1, 2]) {
      const p = await call('outputs.page', {
        run_id: runId,
        pipeline: 'all',
        output,
        offset: 10,
        limit: 5,
        sort: 'amount',
        desc: true,
      });
      expect(p.total).toBe(ROWS);
      expect(p.columns.map((c) => c.name)).toEqual(['id', 'name', 'amount', 'day']);
      pages.push(p.rows.map((r) => Number(r[2])));
    }
    // Ties in amount come in any order: compare the amounts.
    const amounts = pages;
    expect(amounts[1]).toEqual(amounts[0]);
    expect(amounts[2]).toEqual(amounts[0]);
    expect([...amounts[0]].sort((a, b) => b - a)).toEqual(amounts[0]);
  });

  it('downloads a PostgreSQL table as CSV and as an Excel workbook with typed cells', async () => {
    const csvFile = await call('outputs.download', {
      run_id: runId,
      pipeline: 'all',
      output: 2,
      format: 'csv',
    });
    expect(csvFile.temporary).toBe(true);
    const rows = Papa.parse<string[]>(readFileSync(csvFile.path, 'utf8'), {
      skipEmptyLines: true,
    }).data;
    rmSync(csvFile.path);
    expect(rows[0]).toEqual(['id', 'name', 'amount', 'day']);
    expect(rows).toHaveLength(ROWS + 1);
    const xlsx = await call('outputs.download', {
      run_id: runId,
      pipeline: 'all',
      output: 2,
      format: 'xlsx',
    });
    expect(xlsx.filename).toBe('all_rows.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx.path);
    rmSync(xlsx.path);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(ROWS + 1);
    const first = ws.getRow(2).values as ExcelJS.CellValue[];
    expect(typeof first[1]).toBe('number');
    expect(first[4]).toBeInstanceOf(Date);
  });

  it('downloads a SQLite table as CSV equal to the CSV output', async () => {
    const f = await call('outputs.download', {
      run_id: runId,
      pipeline: 'all',
      output: 1,
      format: 'csv',
    });
    const fromTable = Papa.parse<string[]>(readFileSync(f.path, 'utf8'), {
      skipEmptyLines: true,
    }).data;
    rmSync(f.path);
    const file = (await call('outputs.list', {})).outputs[0].path;
    expect(fromTable).toEqual(
      Papa.parse<string[]>(readFileSync(file, 'utf8'), { skipEmptyLines: true }).data,
    );
  });

  it('names what is wrong: a column that is not there, an output that is not, a table dropped since', async () => {
    expect(
      await failure('outputs.page', {
        run_id: runId,
        pipeline: 'all',
        output: 2,
        sort: 'nope',
        offset: 0,
        limit: 5,
        desc: false,
      }),
    ).toMatchObject({ code: 'bad_request', message: 'there is no column "nope"' });
    expect(
      await failure('outputs.page', {
        run_id: runId,
        pipeline: 'all',
        output: 3,
        offset: 0,
        limit: 5,
        desc: false,
      }),
    ).toMatchObject({
      code: 'not_found',
      message: `pipeline all has 3 outputs in run ${runId}; output 3 is not one (count from 0)`,
    });
    const { query } = await import('../helpers/pg');
    await query(`DROP TABLE "${SCHEMA}".all_rows`);
    const gone = await failure('outputs.page', {
      run_id: runId,
      pipeline: 'all',
      output: 2,
      offset: 0,
      limit: 5,
      desc: false,
    });
    expect(gone.code).toBe('bad_request');
    expect(gone.message).toMatch(
      new RegExp(`^there is no table ${SCHEMA}.all_rows at postgres://`),
    );
  });
});
