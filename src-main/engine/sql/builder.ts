/** The chain of CTEs a pipeline compiles into, one or more per step, and the SQL of a value's text. */
import type { ColumnType, Step } from '../../../src-shared/recipe/steps';
import type { SideRef } from '../step';
import type { Field } from '../table';
import type { Stage } from './convert-sql';
import { ident, SqlUnsupported } from './text';

/** The column that carries each row's place in the engine's order (source order at first). */
export const ROW = ident('_sluice_row');

/** A relation the compiled SQL reads: a table or a query, with the engine types of its columns. */
export interface SqlRelation {
  /** SQL that can follow FROM: "schema"."table" or (select ...). */
  from: string;
  fields: Field[];
  /** An expression giving the rows' order (a row-number column); none: the order is undefined. */
  order?: string;
}

export class Builder {
  /** Name, body, and whether it must be materialized. */
  readonly ctes: [string, string, boolean?][] = [];
  private n = 0;
  /** The columns known to hold trimmed text (or null) in the CTE `cte` (set by trim, nullify). */
  trimmed?: { cte: string; columns: Set<string> };
  private sides = new Map<string, string>();
  constructor(
    public cur: string,
    private readonly sideOf: (ref: SideRef) => SqlRelation,
  ) {}

  /**
   * Checks that stop the run, as the engine stops it, when their CTE has a row (`row`: the
   * offending row's number, `hits`): join's forbid_fan_out. The step is set by compile.ts.
   */
  readonly guards: { cte: string; message: string; step: number }[] = [];

  /** Adds a check's CTE (not read by the steps after it); `message` names `{line}` and `{hits}`. */
  guard(body: string, message: string): void {
    const name = `g${this.guards.length + 1}`;
    this.ctes.push([name, body]);
    this.guards.push({ cte: name, message, step: -1 });
  }

  /** Adds a CTE reading the current one; it becomes the current one. */
  add(body: string, materialized = false): string {
    const name = `s${++this.n}`;
    this.ctes.push([name, body, materialized]);
    this.cur = name;
    return name;
  }

  /**
   * Adds helper columns, one stage per CTE. The stages are materialized: a helper is used several
   * times by the next stage, and an inlined CTE would repeat its expression each time, growing
   * the query exponentially with the stages.
   */
  stages(stages: Stage[]): void {
    for (const st of stages)
      if (st.length)
        this.add(
          `SELECT *, ${st.map(([alias, e]) => `${e} AS ${ident(alias)}`).join(', ')} FROM ${this.cur}`,
          true,
        );
  }

  /** The CTE of another table (join, union), with its row order; made once per table. */
  side(ref: SideRef): { name: string; fields: Field[] } {
    const rel = this.sideOf(ref);
    const key = JSON.stringify(ref);
    let name = this.sides.get(key);
    if (!name) {
      name = `side${this.sides.size + 1}`;
      this.ctes.push([name, sourceSelect(rel)]);
      this.sides.set(key, name);
    }
    return { name, fields: rel.fields };
  }
}

/** The source's own line of each row (a staged file's), kept in the first CTE only. */
export const SOURCE_LINE = ident('_sluice_source_line');

/**
 * SELECT of a relation's columns under their engine types, with the row column and, with
 * `line`, the row's source line (null for a relation without an order) for the books.
 */
export function sourceSelect(rel: SqlRelation, line = false): string {
  const cols = rel.fields.map((f) => `${ident(f.name)}::${castType(f.type)} AS ${ident(f.name)}`);
  // Without an order, OVER () numbers the rows as they are read. OVER (ORDER BY NULL) makes
  // every row a peer of every other: the window buffers the whole table and, past work_mem,
  // reads it back from disk again and again (7 s instead of 1 s at 1M rows).
  const over = rel.order ? `ORDER BY ${rel.order}` : '';
  const extra = line ? [`${rel.order ?? 'NULL'}::bigint AS ${SOURCE_LINE}`] : [];
  return `SELECT ${[...cols, `row_number() OVER (${over}) AS ${ROW}`, ...extra].join(', ')} FROM ${rel.from}`;
}

/** The server's type for an engine column type. */
export function castType(t: ColumnType): string {
  return t === 'string'
    ? 'text'
    : t === 'boolean'
      ? 'boolean'
      : t === 'date'
        ? 'date'
        : t === 'datetime'
          ? 'timestamp(3)'
          : 'float8';
}

/** The select list of `fields`, with some columns replaced by expressions, and the row column. */
export function columns(fields: Field[], replaced: Map<number, string> = new Map()): string {
  return [
    ...fields.map((f, i) =>
      replaced.has(i) ? `${replaced.get(i)} AS ${ident(f.name)}` : ident(f.name),
    ),
    ROW,
  ].join(', ');
}

const EXPAND = `'^(-?)([0-9]+)(?:\\.([0-9]+))?(?:e([+-][0-9]+))?$'`;

/**
 * format.ts formatNumber in SQL: plain decimals, never an exponent. PostgreSQL prints the same
 * shortest digits as JavaScript (extra_float_digits >= 1, its default), with an exponent in other
 * ranges; the exponent is written out here as the engine does.
 */
export function numberText(x: string): string {
  const m = (k: number): string => `(regexp_match(${x}::text, ${EXPAND}))[${k}]`;
  const digits = `(${m(2)} || coalesce(${m(3)}, ''))`;
  const point = `(char_length(${m(2)}) + ${m(4)}::int)`;
  const expanded =
    `${m(1)} || CASE WHEN ${point} <= 0 THEN '0.' || repeat('0', -${point}) || ${digits} ` +
    `WHEN ${point} >= char_length(${digits}) THEN ${digits} || repeat('0', ${point} - char_length(${digits})) ` +
    `ELSE left(${digits}, ${point}) || '.' || substr(${digits}, ${point} + 1) END`;
  return (
    `CASE WHEN ${x} = trunc(${x}) AND abs(${x}) < 9007199254740992 THEN (${x}::bigint)::text ` +
    `WHEN ${m(4)} IS NULL THEN ${x}::text ELSE ${expanded} END`
  );
}

/** format.ts formatValue in SQL: the canonical text of a typed value. */
export function valueText(type: ColumnType, x: string): string {
  switch (type) {
    case 'string':
      return x;
    case 'boolean':
      return `(${x})::text`;
    case 'date':
      return `to_char(${x}, 'YYYY-MM-DD')`;
    case 'datetime':
      return `(to_char(${x}, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN extract(milliseconds FROM ${x}) % 1000 <> 0 THEN to_char(${x}, '.MS') ELSE '' END)`;
    default:
      return numberText(x);
  }
}

/** The step kinds compiled so far; the others run only with the local engine. */
export type StepCompiler<S extends Step = Step> = (
  step: S,
  input: Field[],
  output: Field[],
  q: Builder,
) => void;

export function refuse(what: string): never {
  throw new SqlUnsupported(what);
}
