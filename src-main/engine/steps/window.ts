/**
 * window: figures computed over each row's partition in a given order, added as columns:
 * row_number, rank (ties share a rank, then a gap), lag and lead (the value `offset` rows
 * before or after), running_sum and running_mean (nulls add nothing). Rows keep their order.
 */
import type { ColumnType, StepOf } from '../../../src-shared/recipe/steps';
import { keyFnWithNulls, type RowKey } from '../keys';
import { rowComparator, sortKeys } from '../order';
import { emitSliced, holdAll, resolveColumns, StepConfigError, type StepImpl } from '../step';
import { numColumn, rawValue, type Column, type Field } from '../table';

export const window: StepImpl<StepOf<'window'>> = {
  kind: 'window',
  plan(step, input) {
    const parts = resolveColumns(step.partition_by, input, { key: 'partition_by' });
    const keys = sortKeys(step.order_by, input, 'order_by');
    const fns = step.functions.map((f, k) => {
      const needsColumn = f.fn !== 'row_number' && f.fn !== 'rank';
      if (needsColumn && !f.column)
        throw new StepConfigError(`${f.fn} needs a column`, ['functions', k]);
      const col = f.column ? resolveColumns([f.column], input, { key: 'functions' })[0] : -1;
      const t = col >= 0 ? input[col].type : 'int';
      if (
        (f.fn === 'running_sum' || f.fn === 'running_mean') &&
        !['int', 'float', 'decimal'].includes(t)
      )
        throw new StepConfigError(`${f.fn} needs a number column; "${f.column}" is ${t}`, [
          'functions',
          k,
        ]);
      const type: ColumnType =
        f.fn === 'row_number' || f.fn === 'rank' ? 'int' : f.fn === 'running_mean' ? 'float' : t;
      return { ...f, col, type };
    });
    const fields: Field[] = [...input, ...fns.map((f) => ({ name: f.as, type: f.type }))];
    const names = new Set<string>();
    for (const f of fields) {
      if (names.has(f.name))
        throw new StepConfigError(`two columns would be called "${f.name}"`, ['functions']);
      names.add(f.name);
    }
    return holdAll(
      input,
      (all, sink) => {
        const n = all.length;
        const pkey = keyFnWithNulls(all, parts);
        const partition = new Map<RowKey, number[]>();
        for (let i = 0; i < n; i++) {
          const k = parts.length ? pkey(i) : 0;
          const list = partition.get(k);
          if (list) list.push(i);
          else partition.set(k, [i]);
        }
        const cmp = rowComparator(all, keys);
        const out: Column[] = fns.map((f) =>
          f.type === 'string'
            ? { kind: 'text', values: new Array<string | null>(n).fill(null) }
            : numColumn(n),
        );
        const set = (c: Column, i: number, v: string | number | null): void => {
          if (v === null) return;
          if (c.kind === 'text') c.values[i] = v as string;
          else {
            c.values[i] = v as number;
            c.valid[i] = 1;
          }
        };
        for (const rows of partition.values()) {
          rows.sort((a, b) => cmp(a, b) || a - b);
          fns.forEach((f, k) => {
            const c = out[k];
            const src = f.col >= 0 ? all.columns[f.col] : null;
            let sum = 0;
            let count = 0;
            let rank = 0;
            rows.forEach((row, pos) => {
              switch (f.fn) {
                case 'row_number':
                  return set(c, row, pos + 1);
                case 'rank':
                  if (pos === 0 || cmp(rows[pos - 1], row) !== 0) rank = pos + 1;
                  return set(c, row, rank);
                case 'lag':
                case 'lead': {
                  const at = f.fn === 'lag' ? pos - f.offset : pos + f.offset;
                  return set(c, row, at >= 0 && at < rows.length ? rawValue(src!, rows[at]) : null);
                }
                default: {
                  const v = rawValue(src!, row);
                  if (v !== null) {
                    sum += v as number;
                    count++;
                  }
                  return set(c, row, f.fn === 'running_sum' ? sum : count ? sum / count : null);
                }
              }
            });
          });
        }
        emitSliced({ ...all, fields, columns: [...all.columns, ...out] }, sink);
      },
      fields,
    );
  },
};
