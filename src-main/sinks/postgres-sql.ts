/**
 * The SQL of a PostgreSQL load, as pure functions of the output settings and the columns (no
 * connection): the tables a load creates, the staging table and its COPY, the statement that
 * moves staged rows into the target per mode, and the bookkeeping (watermarks, sluice_rejects).
 * Identifiers are always quoted; values travel only as COPY data or parameters ($1, $2, ...).
 */
import type { PostgresOutput } from '../../src-shared/recipe/pipeline';
import type { ColumnType } from '../../src-shared/recipe/steps';
import { formatIsoDate, formatIsoDateTime } from '../engine/dates';
import { formatNumber } from '../engine/format';
import { PG_TYPE } from './postgres-types';
import { qualified, quoteIdent } from './sql';

type Column = { name: string; type: ColumnType };
type Out = Pick<PostgresOutput, 'schema' | 'table' | 'mode' | 'key' | 'on_conflict'>;

/** The bookkeeping tables beside the targets, in the target's schema. */
export const watermarksTable = (schema: string): string => qualified(schema, 'sluice_watermarks');
export const rejectsTable = (schema: string): string => qualified(schema, 'sluice_rejects');

/** CREATE ... IF NOT EXISTS for the schema, the target (typed per PG_TYPE, keyed) and bookkeeping. */
export function createSql(o: Out, fields: Column[]): string[] {
  const cols = fields.map((f) => `${quoteIdent(f.name)} ${PG_TYPE[f.type]}`);
  const pk = o.key ? `, PRIMARY KEY (${o.key.map(quoteIdent).join(', ')})` : '';
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(o.schema)}`,
    `CREATE TABLE IF NOT EXISTS ${qualified(o.schema, o.table)} (${cols.join(', ')}${pk})`,
    `CREATE TABLE IF NOT EXISTS ${watermarksTable(o.schema)} (target text PRIMARY KEY, value double precision NOT NULL)`,
    rejectsTableSql(o.schema),
  ];
}

/**
 * CREATE ... IF NOT EXISTS of a schema's sluice_rejects: rows refused by loads or dropped by steps.
 * A table made before rows kept their line gets the column; only then is it altered, since an
 * ALTER TABLE waits for every open transaction that wrote to the table (a long in-database run,
 * a load) and holds up every load into the schema behind it. The table's name is the one text
 * written into the statement (a DO block takes no parameters), its quotes doubled.
 */
export const rejectsTableSql = (schema: string): string => {
  const table = rejectsTable(schema);
  return `CREATE TABLE IF NOT EXISTS ${table} (run_id text NOT NULL, pipeline text NOT NULL, step text NOT NULL,
        error_type text NOT NULL, message text NOT NULL, record jsonb, record_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(), status text NOT NULL DEFAULT 'open', line bigint);
  DO $sluice$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('${table.replaceAll("'", "''")}')
                   AND attname = 'line' AND NOT attisdropped) THEN
      ALTER TABLE ${table} ADD COLUMN line bigint;
    END IF;
  END $sluice$`;
};

/** The target's columns as the database has them: $1 schema, $2 table. */
export const COLUMNS_SQL =
  'SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2';

/** The watermark of a target: $1 table. */
export const selectWatermarkSql = (schema: string): string =>
  `SELECT value FROM ${watermarksTable(schema)} WHERE target = $1`;

/** Moves a target's watermark forward, never back: $1 table, $2 value. */
export const raiseWatermarkSql = (schema: string): string =>
  `INSERT INTO ${watermarksTable(schema)} AS w (target, value) VALUES ($1, $2)
         ON CONFLICT (target) DO UPDATE SET value = GREATEST(w.value, EXCLUDED.value)`;

/**
 * The staging table (the target's columns, taken from the target so their types match, plus
 * the row's place and, with a watermark, its value as a number) and the COPY that fills it.
 */
export function stageSql(o: Out, fields: Column[], watermark: boolean): string[] {
  const cols = fields.map((f) => quoteIdent(f.name));
  const wm = watermark ? ['sluice_wm'] : [];
  return [
    `CREATE TEMP TABLE sluice_stage ON COMMIT DROP AS SELECT ${cols.join(', ')} FROM ${qualified(o.schema, o.table)} WITH NO DATA`,
    `ALTER TABLE sluice_stage ADD COLUMN sluice_row bigint, ADD COLUMN sluice_line integer` +
      (watermark ? ', ADD COLUMN sluice_wm double precision' : ''),
    `COPY sluice_stage (${[...cols, 'sluice_row', 'sluice_line', ...wm].join(', ')}) FROM STDIN`,
  ];
}

/** The COPY of a full load straight into the (emptied) target. */
export function directCopySql(o: Out, fields: Column[]): string {
  return `COPY ${qualified(o.schema, o.table)} (${fields.map((f) => quoteIdent(f.name)).join(', ')}) FROM STDIN`;
}

/** What a load does to the target before its rows move in: full replaces every row. */
export function beforeMoveSql(o: Out): string[] {
  return o.mode === 'full' ? [`DELETE FROM ${qualified(o.schema, o.table)}`] : [];
}

/** Whether a load inserts new keys and updates (or ignores) existing ones. */
export const isUpsert = (o: Out): boolean =>
  o.mode === 'upsert' || (o.mode === 'incremental' && o.key !== undefined);

/** The staged rows $1..$2, in the target's columns: what a load moves. */
export const stagedRowsSql = (fields: Column[]): string =>
  `SELECT ${fields.map((f) => quoteIdent(f.name)).join(', ')} FROM sluice_stage WHERE sluice_row BETWEEN $1 AND $2`;

/**
 * Moves rows into the target, by default staged rows $1..$2 (`rows`: another SELECT of the
 * target's columns, such as the server's own output in pg-inserver.ts): full, append and
 * incremental by watermark insert (the statement's row count says how many); upsert and
 * incremental by key insert new keys and update rows that differ (or ignore existing keys),
 * returning `inserted` per row (true for a new row, false for one updated).
 */
export function moveSql(o: Out, fields: Column[], rows = stagedRowsSql(fields)): string {
  const table = qualified(o.schema, o.table);
  const cols = fields.map((f) => quoteIdent(f.name));
  const insert = `INSERT INTO ${table} (${cols.join(', ')}) ${rows}`;
  if (!isUpsert(o)) return insert;
  const keys = o.key!.map(quoteIdent);
  const others = cols.filter((c) => !keys.includes(c));
  if (o.on_conflict === 'ignore' || others.length === 0)
    return `${insert} ON CONFLICT (${keys.join(', ')}) DO NOTHING RETURNING true AS inserted`;
  // xmax is 0 for a row this statement inserted, set for one it updated.
  return (
    `${insert} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${others.map((c) => `${c} = EXCLUDED.${c}`).join(', ')} ` +
    `WHERE (${others.map((c) => `${table}.${c}`).join(', ')}) IS DISTINCT FROM (${others.map((c) => `EXCLUDED.${c}`).join(', ')}) ` +
    `RETURNING (xmax = 0) AS inserted`
  );
}

/**
 * The move counted in the database: returning a row per loaded row would ship them all back. A
 * plain insert is counted by its row count.
 */
export const countedMoveSql = (o: Out, fields: Column[], rows?: string): string =>
  isUpsert(o)
    ? `WITH moved AS (${moveSql(o, fields, rows)}) SELECT count(*) FILTER (WHERE inserted) AS inserted, ` +
      `count(*) FILTER (WHERE NOT inserted) AS updated FROM moved`
    : moveSql(o, fields, rows);

/** Drops staged rows at or before the watermark as it is now: $1 the mark. */
export const SKIP_PAST_MARK_SQL = 'DELETE FROM sluice_stage WHERE sluice_wm <= $1';

/** A staged row's source line and values: $1 its number. */
export const STAGED_ROW_SQL = `SELECT sluice_line AS line, to_jsonb(s) - 'sluice_row' - 'sluice_line' - 'sluice_wm' AS record FROM sluice_stage s WHERE sluice_row = $1`;

/** Records refused rows: $1 run, $2 pipeline, $3 step, $4 JSON array of the refusals. */
export const insertRejectsSql = (schema: string): string =>
  `INSERT INTO ${rejectsTable(schema)} (run_id, pipeline, step, error_type, message, record, record_hash)
       SELECT $1, $2, $3, x.error_type, x.message, x.record, x.record_hash
       FROM jsonb_to_recordset($4::jsonb) AS x(error_type text, message text, record jsonb, record_hash text)`;

/** On a retry, marks earlier refusals that loaded this time: $1..$3 as above, $4 hashes still refused. */
export const markRetriedSql = (schema: string): string =>
  `UPDATE ${rejectsTable(schema)} SET status = 'retried' WHERE run_id = $1 AND pipeline = $2 AND step = $3
         AND status = 'open' AND NOT (record_hash = ANY($4::text[]))`;

/** COPY text format: backslash, tab, newline and carriage return escaped; \N is null. */
export function copyText(v: string): string {
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : v;
}

/**
 * A stored number as COPY text: dates (through `day`, which a load may cache) and datetimes as
 * ISO text, booleans t/f, numbers as written.
 */
export function copyNumber(
  v: number,
  type: ColumnType,
  day: (days: number) => string = formatIsoDate,
): string {
  if (type === 'date') return day(v);
  if (type === 'datetime') return formatIsoDateTime(v);
  if (type === 'boolean') return v ? 't' : 'f';
  return formatNumber(v);
}

/** A cell as COPY text: \N for null, text escaped, numbers as copyNumber writes them. */
export function copyValue(v: string | number | null, type: ColumnType): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') return copyText(v);
  return copyNumber(v, type);
}
