/** The PostgreSQL sink against the real server at DATABASE_URL. */
import { describe, expect, it } from 'vitest';
import { PostgresOutput } from '../../src-shared/recipe/pipeline';
import { PostgresSink } from '../../src-main/sinks/postgres-sink';
import { SinkError } from '../../src-main/sinks/sink';
import { batchFromRows, numColumn, type Batch } from '../../src-main/engine/table';
import { DATABASE_URL, query, testSchema } from '../helpers/pg';

const schema = testSchema();

function batch(rows: [number | null, number, number | null, string | null][]): Batch {
  const b = batchFromRows(
    ['o', 'l', 'q', 'n'],
    rows.map((r) => [null, null, null, r[3]]),
  );
  for (const c of [0, 1, 2]) {
    const col = numColumn(rows.length);
    rows.forEach((r, i) => {
      const v = r[c] as number | null;
      if (v !== null) {
        col.values[i] = v;
        col.valid[i] = 1;
      }
    });
    b.columns[c] = col;
  }
  b.fields = [
    { name: 'Order Number', type: 'int' },
    { name: 'Line "Item"', type: 'int' },
    { name: 'qty', type: 'int' },
    { name: 'note', type: 'string' },
  ];
  return b;
}

async function load(
  table: string,
  out: object,
  rows: Parameters<typeof batch>[0],
  url = DATABASE_URL,
) {
  const rejects: string[] = [];
  const sink = new PostgresSink(
    PostgresOutput.parse({ kind: 'postgres', schema, table, ...out }),
    { url, runId: 'r1', pipeline: 'p' },
    (_b, row, rule, reason) => rejects.push(`row ${row}:${rule}:${reason}`),
    (r, rule) => rejects.push(`line ${r.line}:${rule}:${JSON.stringify(r.record)}`),
  );
  const b = batch(rows);
  await sink.open(b.fields);
  try {
    sink.write(b);
    await sink.flush();
    return { report: await sink.commit(), rejects };
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

const rowsOf = (table: string) => query(`SELECT * FROM "${schema}"."${table}" ORDER BY 1, 2`);

describe('postgres sink', () => {
  it('full replaces the rows in one transaction, with awkward names and values', async () => {
    const key = { key: ['Order Number', 'Line "Item"'] };
    await load('select', key, [
      [1, 1, 5, 'a'],
      [1, 2, 6, null],
    ]);
    const r = await load('select', key, [[2, 1, 7, "O'Brien\t; DROP TABLE x\nnext \\ line"]]);
    expect(r.report).toMatchObject({ kind: 'postgres', table: 'select', rows: 1, inserted: 1 });
    expect(await rowsOf('select')).toEqual([
      {
        'Order Number': '2',
        'Line "Item"': '1',
        qty: '7',
        note: "O'Brien\t; DROP TABLE x\nnext \\ line",
      },
    ]);
  });

  it('upsert on a composite key: inserted and updated counted apart; a re-run changes nothing', async () => {
    const out = { mode: 'upsert', key: ['Order Number', 'Line "Item"'] };
    expect(
      (
        await load('up', out, [
          [1, 1, 5, 'a'],
          [1, 2, 6, 'b'],
        ])
      ).report,
    ).toMatchObject({ inserted: 2, updated: 0 });
    expect(
      (
        await load('up', out, [
          [1, 1, 5, 'a'],
          [1, 2, 6, 'b'],
        ])
      ).report,
    ).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(
      (
        await load('up', out, [
          [1, 1, 9, 'a'],
          [1, 3, 1, null],
        ])
      ).report,
    ).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    expect(
      (
        await load('up', { ...out, on_conflict: 'ignore' }, [
          [1, 1, 100, 'x'],
          [1, 4, 1, 'y'],
        ])
      ).report,
    ).toMatchObject({ inserted: 1, unchanged: 1 });
    expect((await rowsOf('up')).map((r) => r.qty)).toEqual(['9', '6', '1', '1']);
  });

  it('incremental by watermark loads only new rows and advances the mark in the same transaction', async () => {
    const out = { mode: 'incremental', watermark: 'Order Number' };
    expect(
      (
        await load('inc', out, [
          [1, 1, 1, null],
          [2, 1, 1, null],
        ])
      ).report,
    ).toMatchObject({ inserted: 2 });
    expect(
      (
        await load('inc', out, [
          [2, 1, 1, null],
          [3, 1, 1, null],
        ])
      ).report,
    ).toMatchObject({ inserted: 1, skipped: 1 });
    expect(
      await query(`SELECT value FROM "${schema}".sluice_watermarks WHERE target = 'inc'`),
    ).toEqual([{ value: 3 }]);
  });

  it('isolates the rows the database refuses and loads the rest (skip), recording them in sluice_rejects', async () => {
    await query(`CREATE TABLE "${schema}".parent (id bigint PRIMARY KEY)`);
    await query(`INSERT INTO "${schema}".parent VALUES (1), (2), (3)`);
    await query(
      `CREATE TABLE "${schema}".strict ("Order Number" bigint PRIMARY KEY, "Line ""Item""" bigint REFERENCES "${schema}".parent (id),
        qty bigint NOT NULL CHECK (qty > 0), note text)`,
    );
    await query(`INSERT INTO "${schema}".strict VALUES (1, 1, 1, 'old')`);
    const rows: Parameters<typeof batch>[0] = [
      [1, 1, 2, 'unique'],
      [2, 9, 2, 'foreign key'],
      [3, 1, -5, 'check'],
      [4, 1, null, 'not null'],
      ...Array.from(
        { length: 60 },
        (_, i) => [10 + i, 2, 1, 'fine'] as [number, number, number, string],
      ),
    ];
    const r = await load('strict', { mode: 'append', on_violation: 'skip' }, rows);
    expect(r.report).toMatchObject({ rows: 64, inserted: 60, rejected: 4 });
    // The null in a NOT NULL column is refused before loading; the others by the database.
    expect(r.rejects.map((x) => x.split(':')[1])).toEqual([
      'not_null',
      'unique',
      'foreign_key',
      'check',
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM "${schema}".strict`)).toEqual([{ n: 61 }]);
    const logged = await query<{ error_type: string; status: string }>(
      `SELECT error_type, status FROM "${schema}".sluice_rejects ORDER BY created_at, error_type`,
    );
    expect(logged.map((l) => l.error_type).sort()).toEqual([
      'check',
      'foreign_key',
      'not_null',
      'unique',
    ]);
    expect(logged.every((l) => l.status === 'open')).toBe(true);
  });

  it('stop rolls the whole load back', async () => {
    await query(
      `CREATE TABLE "${schema}".stop ("Order Number" bigint PRIMARY KEY, "Line ""Item""" bigint, qty bigint CHECK (qty > 0), note text)`,
    );
    await query(`INSERT INTO "${schema}".stop VALUES (1, 1, 1, 'old')`);
    await expect(
      load('stop', { mode: 'full', on_violation: 'stop' }, [
        [5, 1, 1, 'new'],
        [6, 1, -1, 'refused'],
      ]),
    ).rejects.toThrow(/the row on line 3 was refused \(check\)/);
    expect((await rowsOf('stop')).map((r) => r.note)).toEqual(['old']);
  });

  it('names a NOT NULL column without a default that the pipeline does not write', async () => {
    await query(
      `CREATE TABLE "${schema}".unfed ("Order Number" bigint, "Line ""Item""" bigint, qty bigint, note text, region text NOT NULL, kind text NOT NULL DEFAULT 'x')`,
    );
    await expect(load('unfed', { mode: 'append' }, [[1, 1, 1, 'a']])).rejects.toThrow(
      /has NOT NULL column "region" without a default, which the pipeline does not write/,
    );
  });

  it('a database that is down gives a clear error', async () => {
    await expect(
      load('down', {}, [[1, 1, 1, null]], 'postgres://postgres@127.0.0.1:1/test'),
    ).rejects.toThrow(/cannot connect to PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/test/);
    await expect(
      load('down', {}, [[1, 1, 1, null]], 'postgres://postgres@127.0.0.1:1/test'),
    ).rejects.toBeInstanceOf(SinkError);
  });
});

describe('postgres sink and existing tables', () => {
  it('refuses, before loading, values that do not fit an existing column, and loads the rest', async () => {
    await query(
      `CREATE TABLE "${schema}".typed ("Order Number" bigint, "Line ""Item""" bigint, qty bigint, note integer)`,
    );
    const r = await load('typed', { mode: 'append', on_violation: 'skip' }, [
      [1, 1, 1, '12'],
      [2, 1, 1, 'twelve'],
      [3, 1, 1, null],
    ]);
    expect(r.report).toMatchObject({ rows: 3, inserted: 2, rejected: 1 });
    expect(r.rejects).toEqual([
      'row 1:type_mismatch:typed: note: "twelve" does not fit the integer column',
    ]);
    expect((await rowsOf('typed')).map((x) => x.note)).toEqual([12, null]);
  });
});

describe('postgres sink, incremental by key', () => {
  it('loads only new and changed rows; a re-run on the same rows changes nothing', async () => {
    const out = { mode: 'incremental', key: ['Order Number', 'Line "Item"'] };
    const first: Parameters<typeof batch>[0] = [
      [1, 1, 5, 'a'],
      [1, 2, 6, 'b'],
      [2, 1, 7, 'c'],
    ];
    expect((await load('inckey', out, first)).report).toMatchObject({ inserted: 3, updated: 0 });
    const second: Parameters<typeof batch>[0] = [
      [1, 1, 5, 'a'],
      [1, 2, 60, 'b'],
      [2, 1, 7, 'c'],
      [3, 1, 1, 'new'],
    ];
    expect((await load('inckey', out, second)).report).toMatchObject({
      rows: 4,
      inserted: 1,
      updated: 1,
      unchanged: 2,
    });
    expect((await load('inckey', out, second)).report).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 4,
    });
    expect((await rowsOf('inckey')).map((r) => [r['Order Number'], r.qty])).toEqual([
      ['1', '5'],
      ['1', '60'],
      ['2', '7'],
      ['3', '1'],
    ]);
  });
});
