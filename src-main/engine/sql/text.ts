/**
 * SQL text pieces shared by the compiler: quoting, the engine's types as PostgreSQL types, and
 * JavaScript's whitespace (what String.prototype.trim and \s mean) spelled for PostgreSQL.
 */
import type { ColumnType } from '../../../src-shared/recipe/steps';
import { formatIsoDate, formatIsoDateTime, MS_PER_DAY } from '../dates';

/** A quoted identifier: ident('Order Date') === '"Order Date"' */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A quoted text literal (standard_conforming_strings, PostgreSQL's default since 9.1). */
export function lit(s: string): string {
  if (s.includes('\u0000')) throw new SqlUnsupported('text with a NUL character');
  return "'" + s.replace(/'/g, "''") + "'";
}

/** A number literal of type double precision (the engine's numbers are doubles). */
export function num(n: number): string {
  if (!Number.isFinite(n)) return `'${n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN'}'::float8`;
  return `(${Object.is(n, -0) ? '-0' : String(n)})::float8`;
}

/** The engine keeps every number as a double, so every number column is float8 here. */
export const SQL_TYPE: Record<ColumnType, string> = {
  int: 'float8',
  float: 'float8',
  decimal: 'float8',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp(3)',
  string: 'text',
};

/** A typed literal for an engine value (days for dates, ms for datetimes, 0/1 for booleans). */
export function typedLit(type: ColumnType, v: string | number): string {
  if (typeof v === 'string') return type === 'string' ? lit(v) : `${lit(v)}::${SQL_TYPE[type]}`;
  switch (type) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'date':
      return `date ${lit(formatIsoDate(v))}`;
    case 'datetime':
      return `timestamp ${lit(formatIsoDateTime(v).replace('T', ' '))}`;
    case 'string':
      return lit(String(v));
    default:
      return num(v);
  }
}

/** Days since 1970-01-01 of a date expression (tests and parity read dates this way). */
export function daysOf(e: string): string {
  return `(${e} - date '1970-01-01')`;
}
export { MS_PER_DAY };

/** The characters JavaScript's trim() removes and its \s matches. */
const WS_CODES = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];
const hex4 = (c: number): string => c.toString(16).padStart(4, '0');

/** The whitespace set as an E'' literal, for btrim's second argument. */
export const WS = `E'${WS_CODES.map((c) => (c === 0x20 ? ' ' : `\\u${hex4(c)}`)).join('')}'`;
/** The whitespace set as a bracket expression of a PostgreSQL regular expression. */
export const WS_CLASS = `[${WS_CODES.map((c) => (c === 0x20 ? ' ' : `\\u${hex4(c)}`)).join('')}]`;

/** JavaScript's trim() of a text expression. */
export function jsTrim(e: string): string {
  return `btrim(${e}, ${WS})`;
}

/** A step, expression or value this compiler cannot express with the local engine's meaning. */
export class SqlUnsupported extends Error {}

/** Escapes a string for use as a literal inside a PostgreSQL regular expression. */
export function reEscape(s: string): string {
  return s.replace(/[!-/:-@[-`{-~]/g, (c) => '\\' + c);
}
