/** SQL of the steps that change the shape of the table: aggregate, pivot, unpivot, join, union. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, sideName } from '../step';
import type { Field } from '../table';
import { castType, refuse, ROW, valueText, type StepCompiler } from './builder';
import { ident, lit } from './text';

const NUMBERS = new Set(['int', 'float', 'decimal']);

type AggFn = StepOf<'aggregate'>['aggregations'][number]['fn'];

/**
 * One aggregate as aggregate.ts computes it, over the rows where `only` holds (all when null):
 * nulls skipped, sums in row order, first and last the first and last non-null values.
 */
function aggExpr(fn: AggFn, f: Field | null, only: string | null): string {
  const c = f ? ident(f.name) : '';
  const asNum = f?.type === 'boolean' ? `(${c})::int::float8` : c;
  const text = f?.type === 'string' ? `${c} COLLATE "C"` : c;
  const where = (w: string | null): string => (w ? ` FILTER (WHERE ${w})` : '');
  const when = where(only);
  switch (fn) {
    case 'count':
      return f ? `count(${c})${when}::float8` : `count(*)${when}::float8`;
    case 'count_distinct':
      return `count(DISTINCT ${c})${when}::float8`;
    case 'sum': {
      // In row order, as the engine adds; no values sum to 0.
      const e = `coalesce(sum(${asNum} ORDER BY ${ROW})${when}, 0)`;
      // The engine's sum of a boolean column is a boolean column: true when any was true.
      return f!.type === 'boolean' ? `(${e} <> 0)` : e;
    }
    case 'min':
    case 'max':
      return f!.type === 'boolean'
        ? `${fn === 'min' ? 'bool_and' : 'bool_or'}(${c})${when}`
        : `${fn}(${text})${when}`;
    case 'first':
    case 'last': {
      const w = `${c} IS NOT NULL${only ? ` AND ${only}` : ''}`;
      return `(array_agg(${c} ORDER BY ${ROW}${fn === 'last' ? ' DESC' : ''})${where(w)})[1]`;
    }
    case 'median':
      return (
        `(percentile_disc(0.5) WITHIN GROUP (ORDER BY ${asNum})${when} + ` +
        `percentile_disc(0.5 + 1e-12) WITHIN GROUP (ORDER BY ${asNum})${when}) / 2`
      );
    // In row order too: float8 avg, stddev_samp and var_samp accumulate as aggregate.ts does.
    case 'mean':
      return `avg(${asNum} ORDER BY ${ROW})${when}`;
    case 'std':
    case 'var':
      return `${fn === 'std' ? 'stddev_samp' : 'var_samp'}(${asNum} ORDER BY ${ROW})${when}`;
  }
}

export const aggregateSql: StepCompiler<StepOf<'aggregate'>> = (step, input, out, q) => {
  const groups = resolveColumns(step.group_by, input, { key: 'group_by' });
  const keys = groups.map((g) => ident(input[g].name));
  const list = step.aggregations.map((a, k) => {
    const f = a.column === undefined ? null : input.find((x) => x.name === a.column)!;
    return `${aggExpr(a.fn, f, null)} AS ${ident(out[groups.length + k].name)}`;
  });
  // Groups in order of first appearance; a null key is a group like any other.
  q.add(
    `SELECT ${[...keys, ...list, `min(${ROW}) AS ${ROW}`].join(', ')} FROM ${q.cur}` +
      (keys.length ? ` GROUP BY ${keys.join(', ')}` : ` HAVING count(*) > 0`),
  );
};

/** pivot: rows whose value is listed, grouped by the index; a cell no row reached is null. */
export const pivotSql: StepCompiler<StepOf<'pivot'>> = (step, input, out, q) => {
  const index = resolveColumns(step.index, input, { key: 'index' });
  const keys = index.map((i) => ident(input[i].name));
  const pf = input.find((x) => x.name === step.columns)!;
  const vf = input.find((x) => x.name === step.values)!;
  // Values are matched by their canonical text, so 2020 and "2020" name the same column.
  const text = valueText(pf.type, ident(pf.name));
  const listed = step.column_values.map((v) => String(v));
  q.add(`SELECT * FROM ${q.cur} WHERE ${text} IN (${listed.map(lit).join(', ')})`);
  const cells = listed.map((v, k) => {
    const slot = `${text} = ${lit(v)}`;
    return `CASE WHEN count(*) FILTER (WHERE ${slot}) = 0 THEN NULL ELSE ${aggExpr(step.fn, vf, slot)} END AS ${ident(out[index.length + k].name)}`;
  });
  q.add(
    `SELECT ${[...keys, ...cells, `min(${ROW}) AS ${ROW}`].join(', ')} FROM ${q.cur}` +
      (keys.length ? ` GROUP BY ${keys.join(', ')}` : ` HAVING count(*) > 0`),
  );
};

/** unpivot: each row once per unpivoted column, in the row's order then the columns'. */
export const unpivotSql: StepCompiler<StepOf<'unpivot'>> = (step, input, out, q) => {
  const keep = resolveColumns(step.keep, input, { key: 'keep' });
  const cols = step.columns
    ? resolveColumns(step.columns, input)
    : input.flatMap((_, i) => (keep.includes(i) ? [] : [i]));
  const valueType = out[out.length - 1].type;
  const k = ident('_sluice_k');
  const values = cols
    .map((c, j) => {
      const x = ident(input[c].name);
      const v =
        valueType === 'string' && input[c].type !== 'string' ? valueText(input[c].type, x) : x;
      return `WHEN ${j} THEN ${v}`;
    })
    .join(' ');
  const names = cols.map((c, j) => `(${j}, ${lit(input[c].name)})`).join(', ');
  const list = [
    ...keep.map((i) => ident(input[i].name)),
    `u."_sluice_name" AS ${ident(step.name)}`,
    `CASE u.${k} ${values} END AS ${ident(step.value)}`,
    `row_number() OVER (ORDER BY ${ROW}, u.${k}) AS ${ROW}`,
  ];
  q.add(
    `SELECT ${list.join(', ')} FROM ${q.cur} CROSS JOIN (VALUES ${names}) AS u(${k}, "_sluice_name")`,
  );
};

export const joinSql: StepCompiler<StepOf<'join'>> = (step, input, out, q) => {
  const side = q.side(step.with);
  const pairs = step.on.map((o) => {
    const l = input.find((f) => f.name === (typeof o === 'string' ? o : o.left))!;
    const r = side.fields.find((f) => f.name === (typeof o === 'string' ? o : o.right))!;
    const same = l.type === r.type || (NUMBERS.has(l.type) && NUMBERS.has(r.type));
    if (!same) refuse(`joining a ${l.type} key with a ${r.type} key`);
    return { l, r };
  });
  const eq = ({ l, r }: { l: Field; r: Field }): string =>
    l.type === 'string'
      ? `l.${ident(l.name)} COLLATE "C" = r.${ident(r.name)}`
      : `l.${ident(l.name)} = r.${ident(r.name)}`;
  const on = pairs.map(eq).join(' AND ');
  const left = q.cur;
  if (step.how === 'semi' || step.how === 'anti') {
    q.add(
      `SELECT ${[...input.map((f) => `l.${ident(f.name)}`), `l.${ROW}`].join(', ')} FROM ${left} AS l ` +
        `WHERE ${step.how === 'anti' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${side.name} AS r WHERE ${on})`,
    );
    return;
  }
  const rightKeys = new Set(pairs.map((p) => p.r.name));
  const rightCols = side.fields.filter((f) => !rightKeys.has(f.name));
  const leftList = input.map((f) => {
    const p = pairs.find((x) => x.l.name === f.name);
    // A right-only row takes its key from the right.
    const v =
      p && (step.how === 'right' || step.how === 'full')
        ? `CASE WHEN l.${ROW} IS NULL THEN r.${ident(p.r.name)} ELSE l.${ident(f.name)} END`
        : `l.${ident(f.name)}`;
    return `${v} AS ${ident(f.name)}`;
  });
  const rightList = rightCols.map(
    (f, k) => `r.${ident(f.name)} AS ${ident(out[input.length + k].name)}`,
  );
  if (step.forbid_fan_out)
    // The first left row, in the engine's order, whose key matches more than one row.
    q.guard(
      `SELECT l.${ROW} AS row, count(*) AS hits FROM ${left} AS l JOIN ${side.name} AS r ON ${on} ` +
        `GROUP BY l.${ROW} HAVING count(*) > 1 ORDER BY l.${ROW} LIMIT 1`,
      `the key on line {line} matches {hits} rows in ${sideName(step.with)}, and fan-out is forbidden`,
    );
  const how = { inner: 'INNER', left: 'LEFT', right: 'RIGHT', full: 'FULL' }[step.how];
  // Left rows in order, each with its matches in the other table's order; right-only rows last.
  const order = `l.${ROW} IS NULL, l.${ROW}, r.${ROW}`;
  q.add(
    `SELECT ${[...leftList, ...rightList, `row_number() OVER (ORDER BY ${order}) AS ${ROW}`].join(', ')} ` +
      `FROM ${left} AS l ${how} JOIN ${side.name} AS r ON ${on}`,
  );
};

export const unionSql: StepCompiler<StepOf<'union'>> = (step, input, out, q) => {
  const side = q.side(step.with);
  const names = out.map((f) => f.name).filter((n) => n !== step.source_column);
  const part = (fields: Field[], from: string, label: string, rank: number): string => {
    const cols = names.map((name, k) => {
      const f = fields.find((x) => x.name === name);
      const want = out[k].type;
      if (!f) return `NULL::${castType(want)} AS ${ident(name)}`;
      const v =
        want === 'string' && f.type !== 'string' ? valueText(f.type, ident(name)) : ident(name);
      return `${v} AS ${ident(name)}`;
    });
    if (step.source_column) cols.push(`${lit(label)}::text AS ${ident(step.source_column)}`);
    return `SELECT ${[...cols, `${rank} AS _sluice_part`, `${ROW} AS _sluice_at`].join(', ')} FROM ${from}`;
  };
  const label = 'pipeline' in step.with ? `pipeline ${step.with.pipeline}` : step.with.csv;
  q.add(`${part(input, q.cur, step.label, 0)} UNION ALL ${part(side.fields, side.name, label, 1)}`);
  q.add(
    `SELECT ${[...out.map((f) => ident(f.name)), `row_number() OVER (ORDER BY _sluice_part, _sluice_at) AS ${ROW}`].join(', ')} FROM ${q.cur}`,
  );
};
