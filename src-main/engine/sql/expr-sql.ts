/**
 * The expression language of filter and derive (engine/expr) as SQL with the same null rules:
 * the engine checks and types the expression first, then each node becomes SQL, or the whole
 * expression is refused with the construct that has no exact SQL counterpart yet.
 */
import { functionDoc } from '../../../src-shared/recipe/functions';
import type { ColumnType } from '../../../src-shared/recipe/steps';
import { compileDateFormat, formatIsoDate, formatIsoDateTime, MS_PER_DAY } from '../dates';
import { formatDateSql } from './convert-sql';
import { compileExpr, type Kind } from '../expr';
import { parse, type Node } from '../expr/parser';
import type { Field } from '../table';
import { numberText } from './builder';
import { ident, lit, num, SqlUnsupported, WS } from './text';

export interface SqlExpr {
  sql: string;
  kind: Kind;
  /** Always a whole number (derive types the column int). */
  int?: boolean;
}

const KIND_OF: Record<ColumnType, Kind> = {
  int: 'number',
  float: 'number',
  decimal: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  string: 'string',
};

const NULL_OF: Partial<Record<Kind, string>> = {
  number: 'NULL::float8',
  string: 'NULL::text',
  boolean: 'NULL::boolean',
  date: 'NULL::date',
  datetime: 'NULL::timestamp(3)',
};

/** operators.ts truthy(): null, false, 0 and '' are false (a date is a day number). */
function truthy(e: SqlExpr): string {
  switch (e.kind) {
    case 'boolean':
      return e.sql;
    case 'number':
      return `(${e.sql} <> 0)`;
    case 'string':
      return `(${e.sql} <> '')`;
    case 'date':
      return `(${e.sql} <> date '1970-01-01')`;
    case 'datetime':
      return `(${e.sql} <> timestamp '1970-01-01')`;
    case 'null':
      return 'NULL::boolean';
    default:
      throw new SqlUnsupported('a value of unknown type used as a condition');
  }
}

/** Whether the value is exactly true (what filter keeps and case/if branch on). */
export function isTrue(e: SqlExpr): string {
  return e.kind === 'boolean' ? `(${e.sql}) IS TRUE` : 'false';
}

/** Compiles `source` over columns `fields` (already checked by the engine) to SQL. */
export function exprSql(source: string, fields: Field[]): SqlExpr {
  const checked = compileExpr(source, fields);
  const out = node(parse(source), fields);
  return { ...out, kind: checked.kind, int: checked.int };
}

const unsupported = (what: string): never => {
  throw new SqlUnsupported(what);
};

function node(n: Node, fields: Field[]): SqlExpr {
  const sub = (x: Node): SqlExpr => node(x, fields);
  switch (n.k) {
    case 'lit':
      if (n.v === null) return { sql: 'NULL', kind: 'null' };
      if (typeof n.v === 'number')
        return { sql: num(n.v), kind: 'number', int: Number.isInteger(n.v) };
      if (typeof n.v === 'boolean') return { sql: n.v ? 'true' : 'false', kind: 'boolean' };
      return { sql: lit(String(n.v)), kind: 'string' };
    case 'col': {
      const f = fields.find((x) => x.name === n.name)!;
      return { sql: ident(f.name), kind: KIND_OF[f.type], int: f.type === 'int' };
    }
    case 'un': {
      const a = sub(n.a);
      if (n.op === 'not') return { sql: `(NOT ${truthy(a)})`, kind: 'boolean' };
      if (a.kind !== 'number') return unsupported(`minus before a ${a.kind}`);
      return { sql: `(-${a.sql})`, kind: 'number', int: a.int };
    }
    case 'isnull':
      return { sql: `(${sub(n.a).sql} IS ${n.neg ? 'NOT ' : ''}NULL)`, kind: 'boolean' };
    case 'in': {
      const a = sub(n.a);
      const items = n.list.map((x) => coerce(sub(x), a.kind, x));
      const hits = items
        .filter((x) => x.kind !== 'null')
        .map((x) => {
          if (x.kind !== a.kind) return unsupported(`in () with values of another type`);
          return `coalesce(${cmpSql('==', a, x)}, false)`;
        });
      const any = hits.length ? hits.join(' OR ') : 'false';
      return {
        sql: `(CASE WHEN ${a.sql} IS NULL THEN NULL ELSE ${n.neg ? 'NOT ' : ''}(${any}) END)`,
        kind: 'boolean',
      };
    }
    case 'bin':
      return binary(n, fields);
    case 'case':
      return choose(
        n.whens.map(([c, v]) => [sub(c), sub(v)]),
        n.otherwise ? sub(n.otherwise) : null,
      );
    case 'call':
      return call(n, fields);
  }
}

/** A string literal compared with a date is read as an ISO date (compile.ts coerceTo). */
function coerce(e: SqlExpr, kind: Kind, n: Node): SqlExpr {
  if (n.k === 'lit' && typeof n.v === 'string' && (kind === 'date' || kind === 'datetime')) {
    const ms = compileDateFormat(n.v.includes('T') ? "yyyy-MM-dd'T'HH:mm:ss" : 'yyyy-MM-dd').parse(
      n.v,
    )!;
    return kind === 'date'
      ? { sql: `date ${lit(formatIsoDate(Math.floor(ms / MS_PER_DAY)))}`, kind }
      : { sql: `timestamp ${lit(formatIsoDateTime(ms).replace('T', ' '))}`, kind };
  }
  return e;
}

const SQL_CMP: Record<string, string> = {
  '==': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

function cmpSql(op: string, a: SqlExpr, b: SqlExpr): string {
  if (a.kind === 'null' || b.kind === 'null') return 'NULL::boolean';
  if (a.kind !== b.kind) return unsupported(`comparing ${a.kind} with ${b.kind}`);
  // Text compares by code, never by the server's locale.
  const x = a.kind === 'string' ? `${a.sql} COLLATE "C"` : a.sql;
  return `(${x} ${SQL_CMP[op]} ${b.sql})`;
}

function binary(n: Extract<Node, { k: 'bin' }>, fields: Field[]): SqlExpr {
  let a = node(n.a, fields);
  let b = node(n.b, fields);
  if (n.op === 'and' || n.op === 'or')
    return { sql: `(${truthy(a)} ${n.op.toUpperCase()} ${truthy(b)})`, kind: 'boolean' };
  a = coerce(a, b.kind, n.a);
  b = coerce(b, a.kind, n.b);
  if (Object.hasOwn(SQL_CMP, n.op)) return { sql: cmpSql(n.op, a, b), kind: 'boolean' };
  if (a.kind === 'null' || b.kind === 'null') return { sql: 'NULL::float8', kind: 'number' };
  if (a.kind !== 'number' || b.kind !== 'number')
    return unsupported(`"${n.op}" on a ${a.kind === 'number' ? b.kind : a.kind}`);
  const whole = a.int === true && b.int === true && n.op !== '/';
  switch (n.op) {
    case '/':
      return {
        sql: `(CASE WHEN ${b.sql} = 0 THEN NULL ELSE ${a.sql} / ${b.sql} END)`,
        kind: 'number',
      };
    case '%':
      // JavaScript's % of whole numbers is a remainder with the dividend's sign, as mod() is.
      if (!whole) return unsupported('% of numbers that may have fractions');
      // Exact in bigint for whole numbers up to 2^53 (beyond, the engine's doubles differ).
      return {
        sql:
          `(CASE WHEN ${b.sql} = 0 THEN NULL WHEN abs(${a.sql}) < 9007199254740992 AND abs(${b.sql}) < 9007199254740992 ` +
          `THEN mod(${a.sql}::bigint, ${b.sql}::bigint)::float8 END)`,
        kind: 'number',
        int: true,
      };
    default:
      return { sql: `(${a.sql} ${n.op} ${b.sql})`, kind: 'number', int: whole };
  }
}

function choose(branches: [SqlExpr, SqlExpr][], otherwise: SqlExpr | null): SqlExpr {
  const values = [...branches.map(([, v]) => v), ...(otherwise ? [otherwise] : [])];
  const kind = values.find((v) => v.kind !== 'null')?.kind ?? 'null';
  const typed = (v: SqlExpr): string => (v.kind === 'null' ? (NULL_OF[kind] ?? 'NULL') : v.sql);
  const whens = branches.map(([c, v]) => `WHEN ${isTrue(c)} THEN ${typed(v)}`).join(' ');
  return {
    sql: `(CASE ${whens}${otherwise ? ` ELSE ${typed(otherwise)}` : ''} END)`,
    kind,
    int: values.every((v) => v.int || v.kind === 'null'),
  };
}

/** Text of a value as the engine's String() gives it, for the kinds where SQL agrees. */
function asText(e: SqlExpr): string {
  switch (e.kind) {
    case 'string':
      return e.sql;
    case 'boolean':
      return `(${e.sql})::text`;
    case 'null':
      return 'NULL::text';
    case 'number':
      // Whole numbers print alike; other doubles print differently (1e-7, 1e21) in SQL.
      if (e.int) return numberText(e.sql);
      return unsupported('a number with fractions used as text');
    default:
      return unsupported(`a ${e.kind} used as text`);
  }
}

/** Days since 1970-01-01 of a date or datetime (datetimes floor to their day). */
function days(e: SqlExpr): string {
  return e.kind === 'datetime' ? `(${e.sql})::date` : e.sql;
}

function call(n: Extract<Node, { k: 'call' }>, fields: Field[]): SqlExpr {
  const name = functionDoc(n.name)!.name;
  const args = n.args.map((x) => node(x, fields));
  const [a, b, c] = args;
  const numberOf = (sql: string, int = true): SqlExpr => ({ sql, kind: 'number', int });
  const lits = n.args.map((x) =>
    x.k === 'lit'
      ? x.v
      : x.k === 'un' && x.op === 'neg' && x.a.k === 'lit' && typeof x.a.v === 'number'
        ? -x.a.v
        : undefined,
  );
  const strict = (sql: string, kind: Kind, int = false): SqlExpr => ({ sql, kind, int });
  switch (name) {
    case 'is_null':
      return strict(`(${a.sql} IS NULL)`, 'boolean');
    case 'coalesce': {
      const kind = args.find((x) => x.kind !== 'null')?.kind ?? 'null';
      if (args.some((x) => x.kind !== kind && x.kind !== 'null'))
        return unsupported('coalesce() of values of different types');
      return strict(
        `COALESCE(${args.map((x) => (x.kind === 'null' ? (NULL_OF[kind] ?? 'NULL') : x.sql)).join(', ')})`,
        kind,
        args.every((x) => x.int || x.kind === 'null'),
      );
    }
    case 'if':
      return choose([[a, b]], c ?? null);
    case 'lower':
    case 'upper':
      // ICU's root locale maps case as JavaScript does (ß -> SS, final sigma).
      return strict(`(${name}(${asText(a)} COLLATE "und-x-icu") COLLATE "default")`, 'string');
    case 'trim':
      return strict(`btrim(${asText(a)}, ${WS})`, 'string');
    case 'length':
      // JavaScript counts UTF-16 units: a character beyond U+FFFF counts twice.
      return numberOf(
        `(char_length(${asText(a)}) + char_length(regexp_replace(${asText(a)}, '[^\\U00010000-\\U0010FFFF]', '', 'g')))::float8`,
      );
    case 'concat':
      return strict(
        `(${args.map((x) => `coalesce(${concatText(x)}, '')`).join(' || ')})`,
        'string',
      );
    case 'contains':
      return strict(`(strpos(${asText(a)}, ${asText(b)}) > 0)`, 'boolean');
    case 'starts_with':
      return strict(`starts_with(${asText(a)}, ${asText(b)})`, 'boolean');
    case 'ends_with':
      return strict(`(right(${asText(a)}, char_length(${asText(b)})) = ${asText(b)})`, 'boolean');
    case 'abs':
      return numberOf(`abs(${a.sql})`, a.int === true);
    case 'round': {
      const digits = (lits[1] as number | undefined) ?? 0;
      const f = num(10 ** digits);
      // Math.round: halves go up, also below zero.
      return numberOf(`(floor(${a.sql} * ${f} + 0.5) / ${f})`, digits <= 0);
    }
    case 'floor':
    case 'ceil':
      return numberOf(`${name}(${a.sql})`);
    case 'date': {
      const ms = compileDateFormat('yyyy-MM-dd').parse(String(lits[0]))!;
      return strict(`date ${lit(formatIsoDate(Math.floor(ms / MS_PER_DAY)))}`, 'date', true);
    }
    case 'year':
    case 'month':
    case 'day':
    case 'quarter':
      return numberOf(`extract(${name} from ${days(a)})::float8`);
    case 'weekday':
      return numberOf(`extract(isodow from ${days(a)})::float8`);
    case 'week':
      return numberOf(`extract(week from ${days(a)})::float8`);
    case 'add_days':
      return a.kind === 'datetime'
        ? strict(`(${a.sql} + trunc(${b.sql}) * interval '1 day')`, 'datetime', true)
        : strict(`(${a.sql} + trunc(${b.sql})::int)`, 'date', true);
    case 'diff_days':
      return numberOf(`(${days(a)} - ${days(b)})::float8`);
    case 'replace':
      // split(from).join(to): every occurrence, left to right, as replace() does; an empty
      // \`from\` splits between UTF-16 units, which text on the server cannot always hold.
      if (typeof lits[1] !== 'string' || lits[1] === '')
        return unsupported('replace() with a pattern that is not a literal, non-empty text');
      return strict(`replace(${asText(a)}, ${b.sql}, ${asText(c)})`, 'string');
    case 'format_date':
      if (a.kind !== 'date' && a.kind !== 'datetime')
        return unsupported(`format_date of a ${a.kind}`);
      return strict(formatDateSql(`(${a.sql})`, a.kind, String(lits[1])), 'string');
    default:
      return unsupported(`the function ${name}()`);
  }
}

/** concat() writes dates and datetimes in ISO form. */
function concatText(e: SqlExpr): string {
  if (e.kind === 'date') return `to_char(${e.sql}, 'YYYY-MM-DD')`;
  if (e.kind === 'datetime')
    return `(to_char(${e.sql}, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN extract(milliseconds from ${e.sql}) % 1000 <> 0 THEN to_char(${e.sql}, '.MS') ELSE '' END)`;
  return asText(e);
}
