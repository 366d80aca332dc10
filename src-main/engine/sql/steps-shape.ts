/** SQL of the steps that change the shape of the table: aggregate, join, union. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns } from '../step';
import type { Field } from '../table';
import { refuse, ROW, valueText, type StepCompiler } from './builder';
import { ident, lit } from './text';

const NUMBERS = new Set(['int', 'float', 'decimal']);

export const aggregateSql: StepCompiler<StepOf<'aggregate'>> = (step, input, out, q) => {
  const groups = resolveColumns(step.group_by, input, { key: 'group_by' });
  const keys = groups.map((g) => ident(input[g].name));
  const list = step.aggregations.map((a, k) => {
    const f = a.column === undefined ? null : input.find((x) => x.name === a.column)!;
    const c = f ? ident(f.name) : '';
    const asNum = f?.type === 'boolean' ? `(${c})::int::float8` : c;
    const text = f?.type === 'string' ? `${c} COLLATE "C"` : c;
    let e: string;
    switch (a.fn) {
      case 'count':
        e = f ? `count(${c})::float8` : 'count(*)::float8';
        break;
      case 'count_distinct':
        e = `count(DISTINCT ${c})::float8`;
        break;
      case 'sum':
        // In row order, as the engine adds; no values sum to 0.
        e = `coalesce(sum(${asNum} ORDER BY ${ROW}), 0)`;
        // The engine's sum of a boolean column is a boolean column: true when any was true.
        if (f!.type === 'boolean') e = `(${e} <> 0)`;
        break;
      case 'min':
      case 'max':
        e =
          f!.type === 'boolean'
            ? `${a.fn === 'min' ? 'bool_and' : 'bool_or'}(${c})`
            : `${a.fn}(${text})`;
        break;
      case 'first':
      case 'last':
        e = `(array_agg(${c} ORDER BY ${ROW}${a.fn === 'last' ? ' DESC' : ''}) FILTER (WHERE ${c} IS NOT NULL))[1]`;
        break;
      case 'median':
        e =
          `(percentile_disc(0.5) WITHIN GROUP (ORDER BY ${asNum}) + ` +
          `percentile_disc(0.5 + 1e-12) WITHIN GROUP (ORDER BY ${asNum})) / 2`;
        break;
      case 'mean':
        e = `avg(${asNum})`;
        break;
      case 'std':
      case 'var':
        e = `${a.fn === 'std' ? 'stddev_samp' : 'var_samp'}(${asNum})`;
        break;
    }
    return `${e} AS ${ident(out[groups.length + k].name)}`;
  });
  // Groups in order of first appearance; a null key is a group like any other.
  q.add(
    `SELECT ${[...keys, ...list, `min(${ROW}) AS ${ROW}`].join(', ')} FROM ${q.cur}` +
      (keys.length ? ` GROUP BY ${keys.join(', ')}` : ` HAVING count(*) > 0`),
  );
};

export const joinSql: StepCompiler<StepOf<'join'>> = (step, input, out, q) => {
  if (step.forbid_fan_out) refuse('forbid_fan_out');
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
      if (!f) return `NULL::${want === 'string' ? 'text' : sqlType(want)} AS ${ident(name)}`;
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

function sqlType(t: string): string {
  return t === 'boolean'
    ? 'boolean'
    : t === 'date'
      ? 'date'
      : t === 'datetime'
        ? 'timestamp(3)'
        : 'float8';
}
