/** The SQL of a PostgreSQL load per mode, checked as text: no database here. */
import { describe, expect, it } from 'vitest';
import type { PostgresOutput } from '../../src-shared/recipe/pipeline';
import {
  beforeMoveSql,
  copyValue,
  createSql,
  countedMoveSql,
  moveSql,
  stageSql,
} from '../../src-main/sinks/postgres-sql';
import { qualified, quoteIdent } from '../../src-main/sinks/sql';

type Out = Pick<PostgresOutput, 'schema' | 'table' | 'mode' | 'key' | 'on_conflict'>;
const out = (more: Partial<Out>): Out => ({
  schema: 'sales',
  table: 'Order Lines',
  mode: 'append',
  key: undefined,
  on_conflict: 'update',
  ...more,
});
const fields = [
  { name: 'Order Number', type: 'int' as const },
  { name: 'Line', type: 'int' as const },
  { name: 'say "hi"', type: 'string' as const },
  { name: 'Order Date', type: 'date' as const },
];
const TABLE = '"sales"."Order Lines"';
const INSERT = `INSERT INTO ${TABLE} ("Order Number", "Line", "say ""hi""", "Order Date") SELECT "Order Number", "Line", "say ""hi""", "Order Date" FROM sluice_stage WHERE sluice_row BETWEEN $1 AND $2`;

describe('identifiers', () => {
  it('are always quoted, quotes inside doubled', () => {
    expect(quoteIdent('Order Number')).toBe('"Order Number"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('x"; DROP TABLE t; --')).toBe('"x""; DROP TABLE t; --"');
    expect(qualified('s', 't')).toBe('"s"."t"');
  });
});

describe('PostgreSQL load SQL per mode', () => {
  it('full deletes every row first, then inserts; append only inserts, counted by row count', () => {
    expect(beforeMoveSql(out({ mode: 'full' }))).toEqual([`DELETE FROM ${TABLE}`]);
    // No RETURNING: a row sent back per loaded row only to be counted was part of the move's time.
    expect(moveSql(out({ mode: 'full' }), fields)).toBe(INSERT);
    expect(countedMoveSql(out({ mode: 'full' }), fields)).toBe(INSERT);
    expect(beforeMoveSql(out({ mode: 'append' }))).toEqual([]);
    expect(moveSql(out({ mode: 'append' }), fields)).toBe(INSERT);
  });

  it('upsert updates only rows that differ, and tells inserted from updated by xmax', () => {
    const key = ['Order Number', 'Line'];
    const sql = moveSql(out({ mode: 'upsert', key }), fields);
    expect(beforeMoveSql(out({ mode: 'upsert', key }))).toEqual([]);
    expect(sql).toBe(
      `${INSERT} ON CONFLICT ("Order Number", "Line") DO UPDATE SET "say ""hi""" = EXCLUDED."say ""hi""", ` +
        `"Order Date" = EXCLUDED."Order Date" WHERE (${TABLE}."say ""hi""", ${TABLE}."Order Date") ` +
        `IS DISTINCT FROM (EXCLUDED."say ""hi""", EXCLUDED."Order Date") RETURNING (xmax = 0) AS inserted`,
    );
  });

  it('upsert with on_conflict ignore, or with nothing but keys, does nothing to existing rows', () => {
    const ignore = moveSql(
      out({ mode: 'upsert', key: ['Order Number'], on_conflict: 'ignore' }),
      fields,
    );
    expect(ignore).toBe(
      `${INSERT} ON CONFLICT ("Order Number") DO NOTHING RETURNING true AS inserted`,
    );
    const keysOnly = moveSql(out({ mode: 'upsert', key: ['a'] }), [{ name: 'a', type: 'int' }]);
    expect(keysOnly).toContain('ON CONFLICT ("a") DO NOTHING');
  });

  it('incremental upserts by key, and only inserts by watermark', () => {
    expect(moveSql(out({ mode: 'incremental', key: ['Order Number', 'Line'] }), fields)).toContain(
      'ON CONFLICT ("Order Number", "Line") DO UPDATE',
    );
    expect(moveSql(out({ mode: 'incremental' }), fields)).toBe(INSERT);
  });

  it('creates the target typed and keyed, beside the bookkeeping tables, in its schema', () => {
    const [schema, table, marks, rejects] = createSql(
      out({ key: ['Order Number', 'Line'] }),
      fields,
    );
    expect(schema).toBe('CREATE SCHEMA IF NOT EXISTS "sales"');
    expect(table).toBe(
      `CREATE TABLE IF NOT EXISTS ${TABLE} ("Order Number" bigint, "Line" bigint, "say ""hi""" text, ` +
        `"Order Date" date, PRIMARY KEY ("Order Number", "Line"))`,
    );
    expect(marks).toMatch(/^CREATE TABLE IF NOT EXISTS "sales"."sluice_watermarks" /);
    expect(rejects).toMatch(/^CREATE TABLE IF NOT EXISTS "sales"."sluice_rejects" /);
    expect(createSql(out({}), fields)[1]).not.toContain('PRIMARY KEY');
  });

  it('stages rows with their place, and a watermark column only when there is one', () => {
    const [create, add, copy] = stageSql(out({}), fields, false);
    expect(create).toBe(
      `CREATE TEMP TABLE sluice_stage ON COMMIT DROP AS SELECT "Order Number", "Line", "say ""hi""", "Order Date" FROM ${TABLE} WITH NO DATA`,
    );
    expect(add).not.toContain('sluice_wm');
    expect(copy).toBe(
      'COPY sluice_stage ("Order Number", "Line", "say ""hi""", "Order Date", sluice_row, sluice_line) FROM STDIN',
    );
    const [, addWm, copyWm] = stageSql(out({}), fields, true);
    expect(addWm).toContain('ADD COLUMN sluice_wm double precision');
    expect(copyWm).toContain('sluice_line, sluice_wm) FROM STDIN');
  });
});

describe('COPY text', () => {
  it('escapes what COPY reads specially and writes each type as PostgreSQL reads it', () => {
    expect(copyValue(null, 'string')).toBe('\\N');
    expect(copyValue('a\tb\nc\rd\\e', 'string')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyValue('\\N', 'string')).toBe('\\\\N');
    expect(copyValue(19797, 'date')).toBe('2024-03-15');
    expect(copyValue(0, 'datetime')).toMatch(/^1970-01-01[T ]00:00:00/);
    expect(copyValue(1, 'boolean')).toBe('t');
    expect(copyValue(0, 'boolean')).toBe('f');
    expect(copyValue(2.5, 'decimal')).toBe('2.5');
  });
});
