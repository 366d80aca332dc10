/** SQL of the steps that add figures per row: date_parts and window. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { sortKeys } from '../order';
import { resolveColumns } from '../step';
import type { Field } from '../table';
import { columns, ROW, type StepCompiler } from './builder';
import { ident } from './text';

/** Milliseconds since 1970 of a timestamp, exactly (extract gives numeric). */
const msOf = (c: string): string => `(extract(epoch FROM ${c}) * 1000)`;

export const datePartsSql: StepCompiler<StepOf<'date_parts'>> = (step, input, out, q) => {
  const f = input.find((x) => x.name === step.column)!;
  const c = ident(f.name);
  const day = f.type === 'datetime' ? `(${c})::date` : c;
  const part = (p: string): string => {
    switch (p) {
      case 'weekday':
        return `extract(isodow FROM ${day})`;
      case 'hour':
        // JavaScript's % keeps the dividend's sign, as mod() does: before 1970 hours are negative.
        return `floor(mod(${msOf(c)}, 86400000) / 3600000)`;
      case 'minute':
        return `floor(mod(${msOf(c)}, 3600000) / 60000)`;
      default:
        return `extract(${p} FROM ${day})`;
    }
  };
  const added = step.parts.map((p) => `(${part(p)})::float8`);
  if (step.days_between) {
    const to = input.find((x) => x.name === step.days_between!.to)!;
    const t = to.type === 'datetime' ? `(${ident(to.name)})::date` : ident(to.name);
    added.push(`(${t} - ${day})::float8`);
  }
  const replaced = new Map(added.map((e, k) => [input.length + k, e]));
  q.add(`SELECT ${columns(out, replaced)} FROM ${q.cur}`);
};

export const windowSql: StepCompiler<StepOf<'window'>> = (step, input, out, q) => {
  const parts = resolveColumns(step.partition_by, input, { key: 'partition_by' });
  const keys = sortKeys(step.order_by, input, 'order_by').map((k) => {
    const f: Field = input[k.col];
    const c = f.type === 'string' ? `${ident(f.name)} COLLATE "C"` : ident(f.name);
    return `${c} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;
  });
  const partition = parts.length
    ? `PARTITION BY ${parts.map((p) => ident(input[p].name)).join(', ')} `
    : '';
  // Rows that compare equal keep their order; rank ties on the keys alone.
  const ordered = `(${partition}ORDER BY ${[...keys, ROW].join(', ')})`;
  const running = `(${partition}ORDER BY ${[...keys, ROW].join(', ')} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
  const added = step.functions.map((fn) => {
    const c = fn.column ? ident(fn.column) : '';
    switch (fn.fn) {
      case 'row_number':
        return `(row_number() OVER ${ordered})::float8`;
      case 'rank':
        return `(rank() OVER (${partition}ORDER BY ${keys.join(', ')}))::float8`;
      case 'lag':
      case 'lead':
        return `${fn.fn}(${c}, ${fn.offset}) OVER ${ordered}`;
      case 'running_sum':
        return `coalesce(sum(${c}) OVER ${running}, 0)`;
      case 'running_mean':
        return `CASE WHEN count(${c}) OVER ${running} = 0 THEN NULL ELSE sum(${c}) OVER ${running} / count(${c}) OVER ${running} END`;
    }
  });
  const replaced = new Map(added.map((e, k) => [input.length + k, e]));
  q.add(`SELECT ${columns(out, replaced)} FROM ${q.cur}`);
};
