/**
 * unpivot: wide to long. Each row becomes one row per unpivoted column, with the kept columns,
 * the column's name and its value (nulls included, as pandas' melt). A row of k columns passes
 * once and adds k - 1 rows. The values take the columns' common type, or text when they differ.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { formatValue } from '../format';
import { resolveColumns, StepConfigError, type StepImpl } from '../step';
import { numColumn, rawValue, type Column, type Field } from '../table';

export const unpivot: StepImpl<StepOf<'unpivot'>> = {
  kind: 'unpivot',
  plan(step, input) {
    const keep = resolveColumns(step.keep, input, { key: 'keep' });
    const cols = step.columns
      ? resolveColumns(step.columns, input)
      : input.flatMap((_, i) => (keep.includes(i) ? [] : [i]));
    if (cols.length === 0)
      throw new StepConfigError('there are no columns to unpivot', ['columns']);
    for (const n of [step.name, step.value])
      if (keep.some((i) => input[i].name === n))
        throw new StepConfigError(`column "${n}" is also kept`, ['name']);
    const types = new Set(cols.map((c) => input[c].type));
    const valueType = types.size === 1 ? [...types][0] : 'string';
    const fields: Field[] = [
      ...keep.map((i) => input[i]),
      { name: step.name, type: 'string' },
      { name: step.value, type: valueType },
    ];
    return {
      fields,
      process(batch, sink) {
        const n = batch.length * cols.length;
        const kept: Column[] = keep.map((ci) => {
          const src = batch.columns[ci];
          if (src.kind === 'text') {
            const out = new Array<string | null>(n);
            for (let i = 0, o = 0; i < batch.length; i++)
              for (let k = 0; k < cols.length; k++) out[o++] = src.values[i];
            return { kind: 'text', values: out };
          }
          const out = numColumn(n);
          for (let i = 0, o = 0; i < batch.length; i++)
            for (let k = 0; k < cols.length; k++, o++) {
              out.values[o] = src.values[i];
              out.valid[o] = src.valid[i];
            }
          return out;
        });
        const names = new Array<string | null>(n);
        const value: Column =
          valueType === 'string' ? { kind: 'text', values: new Array(n) } : numColumn(n);
        const line = new Int32Array(n);
        const lineEnd = new Int32Array(n);
        for (let i = 0, o = 0; i < batch.length; i++) {
          for (let k = 0; k < cols.length; k++, o++) {
            names[o] = input[cols[k]].name;
            const v = rawValue(batch.columns[cols[k]], i);
            if (value.kind === 'text')
              value.values[o] =
                v === null ? null : typeof v === 'string' ? v : formatValue(input[cols[k]].type, v);
            else if (v !== null) {
              value.values[o] = v as number;
              value.valid[o] = 1;
            }
            line[o] = batch.line[i];
            lineEnd[o] = batch.lineEnd[i];
          }
        }
        sink.added(n - batch.length);
        sink.emit({
          fields,
          columns: [...kept, { kind: 'text', values: names }, value],
          length: n,
          line,
          lineEnd,
        });
      },
    };
  },
};
