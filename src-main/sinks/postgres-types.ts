/** How Sluice types map to PostgreSQL columns, and PostgreSQL's refusals to reject rules. */
import type { ColumnType } from '../../src-shared/recipe/steps';

/** The column type of a table Sluice creates, per Sluice type. */
export const PG_TYPE: Record<ColumnType, string> = {
  int: 'bigint',
  float: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp',
  string: 'text',
};

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);
const NUMBER_TYPES = new Set(['numeric', 'real', 'double precision']);
const DATE_TYPES = new Set(['date', 'timestamp without time zone', 'timestamp with time zone']);

/**
 * How a value of a Sluice type must look to fit an existing PostgreSQL column, so that a row
 * that would make COPY fail is refused on its own instead.
 */
export function fitCheck(
  from: ColumnType,
  to: string,
): { type: string; ok(v: string | number): boolean } | null {
  const numeric = from === 'int' || from === 'float' || from === 'decimal';
  const text = from === 'string';
  if (INTEGER_TYPES.has(to)) {
    if (numeric || from === 'boolean')
      return { type: to, ok: (v) => typeof v === 'number' && Number.isInteger(v) };
    if (text) return { type: to, ok: (v) => /^\s*[+-]?\d+\s*$/.test(String(v)) };
    return { type: to, ok: () => false };
  }
  if (NUMBER_TYPES.has(to)) {
    if (numeric || from === 'boolean') return null;
    if (text) return { type: to, ok: (v) => String(v).trim() !== '' && Number.isFinite(Number(v)) };
    return { type: to, ok: () => false };
  }
  if (DATE_TYPES.has(to)) {
    if (from === 'date' || from === 'datetime') return null;
    if (text)
      return {
        type: to,
        ok: (v) => /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(String(v).trim()),
      };
    return { type: to, ok: () => false };
  }
  if (to === 'boolean') {
    if (from === 'boolean') return null;
    return {
      type: to,
      ok: (v) => /^(t|f|true|false|yes|no|y|n|1|0|on|off)$/i.test(String(v).trim()),
    };
  }
  return null;
}

export const PG_ERRORS: Record<string, string> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
  '22003': 'out_of_range',
  '22001': 'too_long',
};
