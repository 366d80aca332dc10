/** The SQLite sink against real database files. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteOutput } from '../../src-shared/recipe/pipeline';
import { SqliteSink } from '../../src-main/sinks/sqlite-sink';
import { SinkError } from '../../src-main/sinks/sink';
import { batchFromRows, numColumn, type Batch, type Field } from '../../src-main/engine/table';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
let n = 0;
const db = () => join(dir, `t${n++}.sqlite`);

/** Rows of (order, line, qty, note): order and line are ints, qty int, note text. */
function batch(
  rows: [number | null, number, number | null, string | null][],
  fields?: Field[],
): Batch {
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
  b.fields = fields ?? [
    { name: 'Order Number', type: 'int' },
    { name: 'Line "Item"', type: 'int' },
    { name: 'qty', type: 'int' },
    { name: 'note', type: 'string' },
  ];
  return b;
}

function load(path: string, out: object, rows: Parameters<typeof batch>[0]) {
  const rejects: string[] = [];
  const sink = new SqliteSink(
    path,
    SqliteOutput.parse({ kind: 'sqlite', table: 'select', ...out }),
    (_b, row, rule, reason) => rejects.push(`${row}:${rule}:${reason}`),
    // Refused while moving into the table: known by line (batchFromRows starts at line 2).
    (r, rule, reason) => rejects.push(`${r.line - 2}:${rule}:${reason}`),
  );
  const b = batch(rows);
  sink.open(b.fields);
  try {
    sink.write(b);
    return { report: sink.commit(), rejects };
  } catch (e) {
    sink.abort();
    throw e;
  }
}

const read = (path: string) =>
  new Database(path, { readonly: true }).prepare('SELECT * FROM "select" ORDER BY 1, 2').all();

describe('sqlite sink', () => {
  it('full: replaces the rows in one go, with awkward table and column names', () => {
    const p = db();
    load(p, { key: ['Order Number', 'Line "Item"'] }, [
      [1, 1, 5, 'a'],
      [1, 2, 6, null],
    ]);
    const r = load(p, { key: ['Order Number', 'Line "Item"'] }, [
      [2, 1, 7, "O'Brien; DROP TABLE x"],
    ]);
    expect(r.report).toMatchObject({ kind: 'sqlite', table: 'select', rows: 1, inserted: 1 });
    expect(read(p)).toEqual([
      { 'Order Number': 2, 'Line "Item"': 1, qty: 7, note: "O'Brien; DROP TABLE x" },
    ]);
    const cols = new Database(p, { readonly: true })
      .prepare(`SELECT name, pk FROM pragma_table_info('select')`)
      .all();
    expect(cols).toEqual([
      { name: 'Order Number', pk: 1 },
      { name: 'Line "Item"', pk: 2 },
      { name: 'qty', pk: 0 },
      { name: 'note', pk: 0 },
    ]);
  });

  it('loads more rows than one staging statement holds, each once and in place, around refused ones', () => {
    // Four columns and the line: 4,096 rows a statement, so two full ones and the rest.
    const rows: Parameters<typeof batch>[0] = Array.from({ length: 10_000 }, (_, i) => [
      i % 997 === 5 ? null : i,
      1,
      i % 7,
      `n${i}`,
    ]);
    const p = db();
    const r = load(p, { key: ['Order Number', 'Line "Item"'], on_violation: 'skip' }, rows);
    const refused = rows.flatMap((row, i) => (row[0] === null ? [i] : []));
    expect(r.report).toMatchObject({ rows: 10_000, inserted: 10_000 - refused.length });
    expect(r.rejects.map((x) => Number(x.split(':')[0]))).toEqual(refused);
    expect(read(p)).toEqual(
      rows
        .filter((row) => row[0] !== null)
        .map((row) => ({ 'Order Number': row[0], 'Line "Item"': 1, qty: row[2], note: row[3] })),
    );
  });

  it('upsert on a composite key: new rows inserted, changed rows updated, a re-run changes nothing', () => {
    const p = db();
    const out = { mode: 'upsert', key: ['Order Number', 'Line "Item"'] };
    expect(
      load(p, out, [
        [1, 1, 5, 'a'],
        [1, 2, 6, 'b'],
      ]).report,
    ).toMatchObject({ inserted: 2, updated: 0 });
    expect(
      load(p, out, [
        [1, 1, 5, 'a'],
        [1, 2, 6, 'b'],
      ]).report,
    ).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(
      load(p, out, [
        [1, 1, 9, 'a'],
        [1, 3, 1, null],
      ]).report,
    ).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    expect(read(p)).toEqual([
      { 'Order Number': 1, 'Line "Item"': 1, qty: 9, note: 'a' },
      { 'Order Number': 1, 'Line "Item"': 2, qty: 6, note: 'b' },
      { 'Order Number': 1, 'Line "Item"': 3, qty: 1, note: null },
    ]);
    expect(load(p, { ...out, on_conflict: 'ignore' }, [[1, 1, 100, 'x']]).report).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 1,
    });
    expect(read(p)[0]).toMatchObject({ qty: 9 });
  });

  it('incremental by watermark: only rows past the last load, advanced in the same transaction', () => {
    const p = db();
    const out = { mode: 'incremental', watermark: 'Order Number' };
    expect(
      load(p, out, [
        [1, 1, 1, null],
        [2, 1, 1, null],
      ]).report,
    ).toMatchObject({ inserted: 2, skipped: 0 });
    expect(
      load(p, out, [
        [1, 1, 1, null],
        [2, 1, 1, null],
        [3, 1, 1, null],
      ]).report,
    ).toMatchObject({ inserted: 1, skipped: 2 });
    expect(load(p, out, [[3, 1, 1, null]]).report).toMatchObject({ inserted: 0, skipped: 1 });
    expect(
      new Database(p, { readonly: true }).prepare('SELECT value FROM sluice_watermarks').all(),
    ).toEqual([{ value: 3 }]);
  });

  it('checks rows before loading: null keys and keys repeated in the load', () => {
    const p = db();
    const r = load(p, { mode: 'append', key: ['Order Number'], on_violation: 'skip' }, [
      [1, 1, 1, null],
      [null, 2, 1, null],
      [1, 3, 1, null],
    ]);
    expect(r.report).toMatchObject({ rows: 3, inserted: 1, rejected: 2 });
    expect(r.rejects).toEqual([
      '1:null_key:select: a key column (Order Number) is null',
      '2:duplicate_key:select: key Order Number appears more than once in this load',
    ]);
  });

  it('rows the database refuses: skipped one by one, or the whole load rolled back', () => {
    const p = db();
    const raw = new Database(p);
    raw.exec(
      `CREATE TABLE "select" ("Order Number" INTEGER PRIMARY KEY, "Line ""Item""" INTEGER, qty INTEGER NOT NULL CHECK (qty > 0), note TEXT)`,
    );
    raw.exec(`INSERT INTO "select" VALUES (1, 1, 1, 'old')`);
    raw.close();
    const rows: Parameters<typeof batch>[0] = [
      [1, 1, 2, 'dup of an existing key'],
      [2, 1, -5, 'check'],
      [3, 1, null, 'not null'],
      [4, 1, 3, 'fine'],
    ];
    const skip = load(p, { mode: 'append', on_violation: 'skip' }, rows);
    expect(skip.report).toMatchObject({ rows: 4, inserted: 1, rejected: 3 });
    // The null in a NOT NULL column is refused before loading; the others by the database.
    expect(skip.rejects).toEqual([
      '2:not_null:select: qty is null, and the column is NOT NULL',
      expect.stringMatching(/^0:primarykey:/),
      expect.stringMatching(/^1:check:/),
    ]);
    expect(read(p).map((r) => (r as { note: string }).note)).toEqual(['old', 'fine']);
    expect(() =>
      load(p, { mode: 'append', on_violation: 'stop' }, [
        [5, 1, 1, 'would load'],
        [6, 1, -1, 'refused'],
      ]),
    ).toThrow(SinkError);
    expect(read(p)).toHaveLength(2);
  });

  it('names a NOT NULL column without a default that the pipeline does not write', () => {
    const p = db();
    const raw = new Database(p);
    raw.exec(
      `CREATE TABLE "select" ("Order Number" INTEGER, "Line ""Item""" INTEGER, qty INTEGER, note TEXT, region TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'x')`,
    );
    raw.close();
    expect(() => load(p, { mode: 'append' }, [[1, 1, 1, 'a']])).toThrow(
      /table select in .* has NOT NULL column "region" without a default, which the pipeline does not write/,
    );
  });

  it('refuses values that do not fit an existing column', () => {
    const p = db();
    const raw = new Database(p);
    raw.exec(
      `CREATE TABLE "select" ("Order Number" INTEGER, "Line ""Item""" INTEGER, qty INTEGER, note INTEGER)`,
    );
    raw.close();
    const r = load(p, { mode: 'append', on_violation: 'skip' }, [
      [1, 1, 1, 'text'],
      [2, 1, 1, null],
    ]);
    expect(r.report).toMatchObject({ inserted: 1, rejected: 1 });
    expect(r.rejects[0]).toMatch(/note: "text" does not fit a whole-number column/);
  });

  it('names a missing column and a key that is not an output column', () => {
    const p = db();
    new Database(p).exec(`CREATE TABLE "select" (other TEXT)`);
    expect(() => load(p, {}, [[1, 1, 1, null]])).toThrow(
      /table select in .* has no column "Order Number"/,
    );
    expect(() => load(db(), { mode: 'upsert', key: ['nope'] }, [])).toThrow(
      /key column "nope" is not among the output columns/,
    );
  });
});
