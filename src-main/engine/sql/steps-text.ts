/** SQL of the steps that rewrite or convert cells: trim, nullify, replace, case, parse_*, cast. */
import type { ColumnType, StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns } from '../step';
import type { Field } from '../table';
import { columns, refuse, valueText, type Builder, type StepCompiler } from './builder';
import {
  castTextSql,
  formatDateSql,
  parseDatesSql,
  parseNumberSql,
  type Conversion,
  type Stage,
} from './convert-sql';
import { ident, jsTrim, lit, WS_CLASS } from './text';

/** A cell-by-cell rewrite of text columns (null stays null, as in textMapPlan). */
function mapText(
  cols: number[],
  input: Field[],
  q: Builder,
  fn: (col: string, name: string) => string,
): void {
  const replaced = new Map(cols.map((c) => [c, fn(ident(input[c].name), input[c].name)]));
  q.add(`SELECT ${columns(input, replaced)} FROM ${q.cur}`);
}

export const trimSql: StepCompiler<StepOf<'trim'>> = (step, input, _out, q) => {
  const cols = resolveColumns(step.columns, input, { textOnly: true });
  mapText(cols, input, q, (c) =>
    step.collapse_spaces ? `regexp_replace(${jsTrim(c)}, '${WS_CLASS}{2,}', ' ', 'g')` : jsTrim(c),
  );
  if (!step.collapse_spaces)
    q.trimmed = { cte: q.cur, columns: new Set(cols.map((c) => input[c].name)) };
};

export const nullifySql: StepCompiler<StepOf<'nullify'>> = (step, input, _out, q) => {
  const cols = resolveColumns(step.columns, input, { textOnly: true });
  const fold = !step.case_sensitive;
  const tokens = [...new Set(fold ? step.tokens.map((t) => t.toLowerCase()) : step.tokens)];
  const lengths = [...new Set(step.tokens.map((t) => t.length))].filter((n) => n > 0);
  // Right after a trim, its columns need no trim again: the trim is inlined here, and its
  // btrim per cell is the clean's dearest function.
  const trimmed = q.trimmed?.cte === q.cur ? q.trimmed.columns : new Set<string>();
  mapText(cols, input, q, (c, name) => {
    const t = trimmed.has(name) ? c : jsTrim(c);
    const probe = fold ? `lower(${t} COLLATE "und-x-icu")` : t;
    const token = `CASE WHEN ${probe} IN (${tokens.map(lit).join(', ')}) THEN NULL ELSE ${c} END`;
    const isToken = tokens.length ? lengths.map((n) => ` WHEN ${n} THEN ${token}`).join('') : '';
    // CASE x WHEN evaluates x once: each cell is trimmed once (the trim before is inlined here,
    // so each trim is two), again only at a token's length; it was the clean's costliest step.
    return `CASE char_length(${t}) WHEN 0 THEN NULL${isToken} ELSE ${c} END`;
  });
  // A trimmed cell stays trimmed: it is kept as it is or becomes null.
  q.trimmed = { cte: q.cur, columns: trimmed };
};

export const replaceSql: StepCompiler<StepOf<'replace'>> = (step, input, _out, q) => {
  const cols = resolveColumns(step.columns, input, { textOnly: true });
  if (!step.values)
    refuse('regular expressions (the engine runs RE2; PostgreSQL has its own dialect)');
  const entries = Object.entries(step.values);
  mapText(cols, input, q, (c) =>
    entries.length
      ? `CASE ${c} ${entries.map(([k, v]) => `WHEN ${lit(k)} THEN ${v === null ? 'NULL' : lit(v)}`).join(' ')} ELSE ${c} END`
      : c,
  );
};

export const caseSql: StepCompiler<StepOf<'case'>> = (step, input, _out, q) => {
  const cols = resolveColumns(step.columns, input, { textOnly: true });
  // ICU's root locale maps case as JavaScript does (ß -> SS, final sigma).
  if (step.to !== 'title')
    return mapText(
      cols,
      input,
      q,
      (c) => `(${step.to}(${c} COLLATE "und-x-icu") COLLATE "default")`,
    );
  // case.ts titleCase: lower case, then each letter at the start or after a space, - ' ( or /
  // in upper case. The text is cut before each such letter and each piece's first letter
  // raised; under ICU, [[:alpha:]] is JavaScript's \p{L}.
  const cut = `'(?<=${WS_CLASS.slice(0, -1)}''(/-])(?=[[:alpha:]])'`;
  mapText(
    cols,
    input,
    q,
    (c) =>
      `(SELECT string_agg(CASE WHEN t.o > 1 OR t.p ~ '^[[:alpha:]]' THEN upper(left(t.p, 1)) || substr(t.p, 2) ELSE t.p END, '' ORDER BY t.o) ` +
      `FROM regexp_split_to_table(lower(${c} COLLATE "und-x-icu"), ${cut}) WITH ORDINALITY AS t(p, o)) COLLATE "default"`,
  );
};

/**
 * Conversions of some columns, each to a value or null, then: reject drops the row where any
 * converted column failed (a non-null cell became null), null keeps the null, keep keeps the
 * text (the column stays text: a converted value as its canonical text). `render` gives the
 * converted value's text instead (parse_dates' output_format), as convert.ts does.
 */
function convert(
  input: Field[],
  output: Field[],
  q: Builder,
  convs: { col: number; conv: Conversion; type?: ColumnType; render?: (v: string) => string }[],
  onError: 'reject' | 'null' | 'keep',
): void {
  const depth = Math.max(0, ...convs.map((c) => c.conv.stages.length));
  const merged: Stage[] = Array.from({ length: depth }, (_, k) =>
    convs.flatMap((c) => c.conv.stages[k] ?? []),
  );
  q.stages(merged);
  const v = (k: number): string => ident(`_sluice_v${k}`);
  q.stages([convs.map((c, k) => [`_sluice_v${k}`, c.conv.value] as [string, string])]);
  const replaced = new Map(
    convs.map((c, k) => {
      if (onError !== 'keep') return [c.col, c.render?.(v(k)) ?? v(k)];
      // cast's keep (from text only): a value that did not convert stays as it was.
      const text = c.render?.(v(k)) ?? valueText(c.type!, v(k));
      return [c.col, `coalesce(${text}, ${ident(input[c.col].name)})`];
    }),
  );
  const failed = convs.map(
    (c, k) => `(${ident(input[c.col].name)} IS NOT NULL AND ${v(k)} IS NULL)`,
  );
  const where = onError === 'reject' && convs.length ? ` WHERE NOT (${failed.join(' OR ')})` : '';
  q.add(`SELECT ${columns(output, replaced)} FROM ${q.cur}${where}`);
}

export const parseNumbersSql: StepCompiler<StepOf<'parse_numbers'>> = (step, input, out, q) => {
  const cols = resolveColumns(step.columns, input, { textOnly: true });
  const fmt = { decimal: step.decimal, thousands: step.thousands, percent: step.percent };
  const convs = cols.map((col, k) => {
    const conv = parseNumberSql(ident(input[col].name), `_sluice_${k}_`, fmt);
    if (step.type === 'int') {
      const f = `_sluice_${k}_f`;
      conv.stages.push([[f, conv.value]]);
      conv.value = `CASE WHEN ${ident(f)} = trunc(${ident(f)}) THEN ${ident(f)} END`;
    }
    return { col, conv };
  });
  convert(input, out, q, convs, step.on_invalid);
};

export const parseDatesSqlStep: StepCompiler<StepOf<'parse_dates'>> = (step, input, out, q) => {
  const cols = resolveColumns(step.columns, input, { textOnly: true });
  const outFmt = step.output_format;
  const convs = cols.map((col, k) => ({
    col,
    conv: parseDatesSql(ident(input[col].name), `_sluice_${k}_`, step.formats, step.output),
    render: outFmt ? (v: string) => formatDateSql(v, step.output, outFmt) : undefined,
  }));
  convert(input, out, q, convs, step.on_invalid);
};

/** cast.ts numToNum: conversions between typed columns (null where the value does not fit). */
function typedCast(from: ColumnType, to: ColumnType, x: string): string {
  const numeric = ['int', 'float', 'decimal'];
  if (to === 'string') return valueText(from, x);
  if (numeric.includes(from) && numeric.includes(to))
    return to === 'int' ? `CASE WHEN ${x} = trunc(${x}) THEN ${x} END` : x;
  if (from === 'boolean' && numeric.includes(to)) return `(${x})::int::float8`;
  if (numeric.includes(from) && to === 'boolean')
    return `CASE WHEN ${x} = 0 THEN false WHEN ${x} = 1 THEN true END`;
  if (from === 'date' && to === 'datetime') return `(${x})::timestamp(3)`;
  if (from === 'datetime' && to === 'date') return `(${x})::date`;
  return x;
}

export const castSql: StepCompiler<StepOf<'cast'>> = (step, input, out, q) => {
  const wanted = Object.entries(step.columns);
  const cols = resolveColumns(
    wanted.map(([n]) => n),
    input,
  );
  const convs = cols.flatMap((col, k) => {
    const from = input[col].type;
    const to = wanted[k][1];
    const x = ident(input[col].name);
    if (from === 'string' && to === 'string') return [];
    const conv: Conversion =
      from === 'string'
        ? castTextSql(x, `_sluice_${k}_`, to, step.formats)
        : { stages: [], value: typedCast(from, to, x) };
    return [{ col, conv, type: to }];
  });
  convert(input, out, q, convs, step.on_error);
};
