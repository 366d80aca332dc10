/**
 * The SQL of a PostgreSQL output written inside the server (pg-inserver.ts), as pure functions:
 * how each output column of the steps' output table goes into the target's column, the checks a
 * streamed load makes row by row (checks.ts, postgres-sink.ts) as one statement, and the rows the
 * move takes. The output table has the engine's column types (float8 for every number) and each
 * row's place in the engine's order (_sluice_row).
 */
import type { PostgresOutput } from '../../src-shared/recipe/pipeline';
import type { Field } from '../engine/table';
import { quoteIdent } from './sql';

/** The steps' output table of the engine's session (pg-engine.ts). */
export const OUTPUT_TABLE = 'pg_temp.sluice_out';
const ROW = '_sluice_row';

/** The rows a check refused, by place: a table of the load's transaction. */
export const REFUSED_TABLE_SQL =
  'CREATE TEMP TABLE sluice_refused (r bigint PRIMARY KEY, rule text NOT NULL) ON COMMIT DROP';

const INTEGER = new Set(['smallint', 'integer', 'bigint']);
const FLOAT = new Set(['real', 'double precision']);
const TEXT = new Set(['text', 'character varying', 'character']);
const SAME: Record<Field['type'], string> = {
  int: 'bigint',
  float: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp without time zone',
  string: 'text',
};

/** How one output column goes into its target column. */
export interface ColumnMove {
  /** The value as the target takes it. */
  expr: string;
  /** True for a value a streamed load refuses as not fitting the column (type_mismatch). */
  misfit?: string;
}

/**
 * The move of column `f` into a target column of type `to` (information_schema's data_type),
 * giving the value a streamed load would store; a string says why the server cannot (the load
 * then streams as before). A streamed load writes a value's canonical text and the server reads
 * it: the same value, except a number into numeric, which is read from its shortest text here
 * too (float8 to numeric keeps 15 digits), and whole-number columns, which refuse a fraction.
 */
export function columnMove(f: Field, to: string): ColumnMove | string {
  const col = quoteIdent(f.name);
  const numeric = f.type === 'int' || f.type === 'float' || f.type === 'decimal';
  if (numeric && INTEGER.has(to))
    return { expr: col, misfit: `NOT (${col} = trunc(${col}) AND abs(${col}) < 'Infinity')` };
  if (numeric && to === 'numeric') return { expr: `${col}::text::numeric` };
  if (numeric && FLOAT.has(to)) return { expr: col };
  if (f.type === 'string' && TEXT.has(to)) return { expr: col };
  if (SAME[f.type] === to) return { expr: col };
  return `column "${f.name}" is ${to} in the table and ${f.type} in the output`;
}

/** A watermark column as the number a load compares (checks.ts rawValue): days, milliseconds. */
export function watermarkValue(f: Field): string | null {
  const col = quoteIdent(f.name);
  switch (f.type) {
    case 'int':
    case 'float':
    case 'decimal':
      return col;
    case 'date':
      return `(${col} - DATE '1970-01-01')::float8`;
    case 'datetime':
      return `(extract(epoch FROM ${col}) * 1000)::float8`;
    default:
      return null;
  }
}

export interface CheckSpec {
  out: Pick<PostgresOutput, 'key' | 'watermark'>;
  fields: Field[];
  moves: ColumnMove[];
  notNull: boolean[];
}

/** Whether a load makes any check before the database sees a row. */
export const checks = (s: CheckSpec): boolean =>
  s.out.key !== undefined ||
  s.out.watermark !== undefined ||
  s.notNull.some(Boolean) ||
  s.moves.some((m) => m.misfit);

/**
 * One statement making a streamed load's checks, in its order (checks.ts LoadChecks, then each
 * cell in column order): a null watermark, one at or before the mark ($1, skipped), a null key,
 * a key seen earlier in the engine's order among the rows that passed, a null in a NOT NULL
 * column, a value that does not fit. Refused rows go to sluice_refused as `rule column`; the
 * statement returns the rows skipped and the highest watermark of the rows that passed.
 */
export function checkSql(s: CheckSpec): string {
  const { out, fields, moves, notNull } = s;
  const wmField = out.watermark ? fields.find((f) => f.name === out.watermark) : undefined;
  const wm = wmField ? watermarkValue(wmField) : null;
  const keys = (out.key ?? []).map(quoteIdent);
  const cells = fields.flatMap((f, c) => {
    const col = quoteIdent(f.name);
    const whens: string[] = [];
    if (notNull[c]) whens.push(`WHEN ${col} IS NULL THEN 'not_null ${c}'`);
    if (moves[c].misfit)
      whens.push(`WHEN ${col} IS NOT NULL AND ${moves[c].misfit} THEN 'type_mismatch ${c}'`);
    return whens;
  });
  const pre = [
    ...(wm
      ? [`WHEN ${wm} IS NULL THEN 'null_watermark'`, `WHEN ${wm} <= $1::float8 THEN 'skip'`]
      : []),
    ...(keys.length
      ? [`WHEN ${keys.map((k) => `${k} IS NULL`).join(' OR ')} THEN 'null_key'`]
      : []),
  ];
  const caseOf = (whens: string[]): string =>
    whens.length ? `CASE ${whens.join(' ')} END` : 'NULL::text';
  const keyCols = keys.map((k, i) => `${k} AS k${i}`);
  const dup = keys.length
    ? `CASE WHEN pre IS NULL AND row_number() OVER (PARTITION BY pre IS NULL, ${keys.map((_, i) => `k${i}`).join(', ')} ORDER BY r) > 1 THEN 'duplicate_key' END`
    : 'NULL::text';
  return (
    `WITH c AS (SELECT ${[`${ROW} AS r`, `${wm ?? 'NULL::float8'} AS wm`, `${caseOf(pre)} AS pre`, `${caseOf(cells)} AS cell`, ...keyCols].join(', ')} FROM ${OUTPUT_TABLE}),\n` +
    `d AS (SELECT r, wm, pre, cell, ${dup} AS dup FROM c),\n` +
    `kept AS (INSERT INTO pg_temp.sluice_refused (r, rule) SELECT r, coalesce(pre, dup, cell) FROM d ` +
    `WHERE coalesce(pre, dup, cell) IS NOT NULL AND pre IS DISTINCT FROM 'skip')\n` +
    `SELECT count(*) FILTER (WHERE pre = 'skip') AS skipped, ` +
    `max(wm) FILTER (WHERE pre IS NULL AND dup IS NULL) AS high, $1::float8 AS mark FROM d`
  );
}

/**
 * The rows the move takes, places $1..$2, in the target's columns and the engine's order: not
 * refused by a check, and past the watermark ($3) when there is one.
 */
export function movedRowsSql(s: CheckSpec & { checked: boolean }): string {
  const wmField = s.out.watermark ? s.fields.find((f) => f.name === s.out.watermark) : undefined;
  const wm = wmField ? watermarkValue(wmField) : null;
  const where = [
    `o.${ROW} BETWEEN $1 AND $2`,
    ...(wm ? [`NOT coalesce(${wm} <= $3::float8, false)`] : []),
    ...(s.checked
      ? [`NOT EXISTS (SELECT 1 FROM pg_temp.sluice_refused f WHERE f.r = o.${ROW})`]
      : []),
  ];
  return `SELECT ${s.moves.map((m) => m.expr).join(', ')} FROM ${OUTPUT_TABLE} o WHERE ${where.join(' AND ')} ORDER BY o.${ROW}`;
}

/**
 * Refused rows with their line among the output rows (as a streamed load numbers them: the
 * output's rows from 1) and rule, in order; `limit` for the first only.
 */
export function refusedRowsSql(fields: Field[], limit?: number): string {
  const cols = fields.map((f) => `x.${quoteIdent(f.name)}`);
  return (
    `SELECT ${cols.join(', ')}, x._sluice_line_no, f.rule FROM (SELECT o.*, row_number() OVER (ORDER BY o.${ROW}) AS _sluice_line_no FROM ${OUTPUT_TABLE} o) x ` +
    `JOIN pg_temp.sluice_refused f ON f.r = x.${ROW} ORDER BY x.${ROW}${limit ? ` LIMIT ${limit}` : ''}`
  );
}

/** A row the database refused, by place: its line among the output rows and its values. */
export const OUTPUT_ROW_SQL =
  `SELECT (SELECT count(*) FROM ${OUTPUT_TABLE} WHERE ${ROW} <= $1) AS line, ` +
  `to_jsonb(o) - '${ROW}' AS record FROM ${OUTPUT_TABLE} o WHERE ${ROW} = $1`;
