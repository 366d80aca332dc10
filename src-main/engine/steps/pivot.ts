/**
 * pivot: long to wide. One row per combination of `index` values and one column per value
 * listed in `column_values` (listed, so the output's columns never depend on the data), each
 * cell the aggregate (sum by default) of `values` over its rows; an empty cell is null. Rows
 * folded into a cell are merged; a row whose value is not listed is removed with the reason.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { formatValue } from '../format';
import { keyFnWithNulls, type RowKey } from '../keys';
import { emitSliced, resolveColumns, StepConfigError, type StepImpl } from '../step';
import { rawValue, type Column, type Field } from '../table';
import { accumulator, NUMERIC, outputType, toColumn, type Raw } from './aggregate';

export const pivot: StepImpl<StepOf<'pivot'>> = {
  kind: 'pivot',
  plan(step, input) {
    const index = resolveColumns(step.index, input, { key: 'index' });
    const [pc] = resolveColumns([step.columns], input, { key: 'columns' });
    const [vc] = resolveColumns([step.values], input, { key: 'values' });
    const vtype = input[vc].type;
    if (NUMERIC.includes(step.fn) && !['int', 'float', 'decimal', 'boolean'].includes(vtype))
      throw new StepConfigError(`${step.fn} needs a number column; "${step.values}" is ${vtype}`, [
        'fn',
      ]);
    const cellType = outputType(step.fn, vtype);
    // Values are matched by their canonical text, so 2020 and "2020" name the same column.
    const ptype = input[pc].type;
    const text = (v: string | number): string =>
      typeof v === 'string' ? v : formatValue(ptype, v);
    const listed = step.column_values.map((v) => String(v));
    const slot = new Map(listed.map((v, k) => [v, k]));
    const fields: Field[] = [
      ...index.map((i) => input[i]),
      ...listed.map((name) => ({ name, type: cellType })),
    ];
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name))
        throw new StepConfigError(`two output columns are called "${f.name}"`, ['column_values']);
      seen.add(f.name);
    }
    const groups = new Map<RowKey, number>();
    const keys: Raw[][] = index.map(() => []);
    const firstLine: number[] = [];
    const accs = listed.map(() => accumulator(step.fn));
    const filled = listed.map(() => new Set<number>());
    let kept = 0;
    return {
      fields,
      process(batch, sink) {
        const key = keyFnWithNulls(batch, index);
        for (let i = 0; i < batch.length; i++) {
          const pv = rawValue(batch.columns[pc], i);
          const p = pv === null ? undefined : slot.get(text(pv));
          if (p === undefined) {
            sink.remove(
              batch,
              i,
              `${step.columns} ${pv === null ? 'is null' : `"${text(pv)}" is not among column_values`}`,
            );
            continue;
          }
          const k = index.length ? key(i) : 0;
          let g = groups.get(k);
          if (g === undefined) {
            g = groups.size;
            groups.set(k, g);
            index.forEach((c, j) => keys[j].push(rawValue(batch.columns[c], i)));
            firstLine.push(batch.line[i]);
          }
          accs[p].add(g, rawValue(batch.columns[vc], i));
          filled[p].add(g);
          kept++;
        }
      },
      finish(sink) {
        const n = groups.size;
        const columns: Column[] = [
          ...keys.map((vals, j) => toColumn(vals, input[index[j]].type)),
          ...accs.map((acc, p) =>
            toColumn(
              Array.from({ length: n }, (_, g) => (filled[p].has(g) ? acc.result(g) : null)),
              cellType,
            ),
          ),
        ];
        sink.merged(kept - n);
        const line = Int32Array.from(firstLine);
        if (n) emitSliced({ fields, columns, length: n, line, lineEnd: line.slice() }, sink);
      },
    };
  },
};
