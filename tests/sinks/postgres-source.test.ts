/**
 * A PostgreSQL table or query as a source, read from the real server: the engine's types for the
 * server's, values (nulls, negatives, dates before 1970, time zones) as the engine holds them,
 * batches that follow the cursor, and errors that name the connection, the table and the cause.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cellValue, type Batch, type Value } from '../../src-main/engine/table';
import { daysFromCivil, MS_PER_DAY } from '../../src-main/engine/dates';
import { openPostgresSource, type PostgresSourceSpec } from '../../src-main/sinks/postgres-source';
import { DATABASE_URL, query, testSchema } from '../helpers/pg';

const schema = testSchema();
const spec = (s: Partial<PostgresSourceSpec>): PostgresSourceSpec => ({
  connection: 'default',
  url: DATABASE_URL,
  ...s,
});

async function readAll(
  s: PostgresSourceSpec,
  size?: number,
): Promise<{ rows: Value[][]; batches: Batch[] }> {
  const src = await openPostgresSource(s);
  const batches: Batch[] = [];
  for await (const b of src.batches(size)) batches.push(b);
  const rows = batches.flatMap((b) =>
    Array.from({ length: b.length }, (_, i) =>
      b.fields.map((f, c) => cellValue(b.columns[c], f.type, i)),
    ),
  );
  return { rows, batches };
}

beforeAll(async () => {
  await query(`CREATE SCHEMA "${schema}"`);
  await query(`CREATE TABLE "${schema}".orders (
    id bigint, qty integer, small smallint, price numeric(12,2), ratio double precision, f4 real,
    paid boolean, day date, at timestamp(3), at_tz timestamptz, name text, code varchar(5), id2 uuid)`);
  await query(`INSERT INTO "${schema}".orders VALUES
    (1, 2, 3, 1234.50, 0.1, 0.5, true, '2016-01-05', '2016-01-05 10:20:30.123', '2016-01-05 12:00:00+02', 'Ann', 'A1', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
    (-9007199254740991, -1, 0, -0.01, -1e-7, -2, false, '1969-12-31', '1969-12-31 23:59:59', '1970-01-01 00:00:00+00', 'ß ü', '', NULL),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
});

describe('a PostgreSQL source', () => {
  it('reads a table with the engine types of its columns and its values', async () => {
    const src = await openPostgresSource(spec({ table: `${schema}.orders` }));
    expect(src.fields).toEqual([
      { name: 'id', type: 'int' },
      { name: 'qty', type: 'int' },
      { name: 'small', type: 'int' },
      { name: 'price', type: 'decimal' },
      { name: 'ratio', type: 'float' },
      { name: 'f4', type: 'float' },
      { name: 'paid', type: 'boolean' },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'datetime' },
      { name: 'at_tz', type: 'datetime' },
      { name: 'name', type: 'string' },
      { name: 'code', type: 'string' },
      { name: 'id2', type: 'string' },
    ]);
    await src.close();
    const { rows } = await readAll(spec({ table: `${schema}.orders` }));
    const day = (y: number, m: number, d: number): number => daysFromCivil(y, m, d);
    expect(rows).toEqual([
      [
        1,
        2,
        3,
        1234.5,
        0.1,
        0.5,
        true,
        day(2016, 1, 5),
        day(2016, 1, 5) * MS_PER_DAY + 37_230_123,
        day(2016, 1, 5) * MS_PER_DAY + 36_000_000,
        'Ann',
        'A1',
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      ],
      [-9007199254740991, -1, 0, -0.01, -1e-7, -2, false, -1, -1000, 0, 'ß ü', '', null],
      Array(13).fill(null),
    ]);
  });

  it('reads a query, in batches that follow the cursor, with rows numbered from 1', async () => {
    const q = `select g as n, 'row ' || g as label from generate_series(1, 25) g order by g desc`;
    const { rows, batches } = await readAll(spec({ query: q }), 10);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(rows[0]).toEqual([25, 'row 25']);
    expect(rows[24]).toEqual([1, 'row 1']);
    expect(Array.from(batches[2].line)).toEqual([21, 22, 23, 24, 25]);
  });

  it('names the connection, the table or query, and what the server said', async () => {
    await expect(openPostgresSource(spec({ table: `${schema}.missing` }))).rejects.toThrow(
      new RegExp(
        `table ${schema}\\.missing on connection default \\(postgres://127\\.0\\.0\\.1:5432/test\\): relation .* does not exist`,
      ),
    );
    await expect(openPostgresSource(spec({ query: 'select nope from nowhere' }))).rejects.toThrow(
      /query "select nope from nowhere" on connection default .*: relation "nowhere" does not exist/,
    );
    await expect(
      openPostgresSource(
        spec({ table: 't', connection: 'dw', url: 'postgres://postgres@127.0.0.1:1/x' }),
      ),
    ).rejects.toThrow(
      /table t on connection dw \(postgres:\/\/127\.0\.0\.1:1\/x\): .*ECONNREFUSED/,
    );
  });
});
