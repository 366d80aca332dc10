/**
 * sort: orders all rows by one or more columns, each ascending or descending, with nulls first
 * or last (last by default). Stable: rows that compare equal keep their order. Text compares by
 * code point, so the order does not depend on the machine's locale.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { emitSliced, resolveColumns, type StepImpl } from '../step';
import { concat, rawValue, take, TextInterner, type Batch } from '../table';

export const sort: StepImpl<StepOf<'sort'>> = {
  kind: 'sort',
  plan(step, input) {
    const keys = step.by.map((b) =>
      typeof b === 'string' ? { column: b, order: 'asc' as const, nulls: 'last' as const } : b,
    );
    const cols = resolveColumns(
      keys.map((k) => k.column),
      input,
      { key: 'by' },
    );
    const held: Batch[] = [];
    const interner = new TextInterner();
    return {
      fields: input,
      process(batch) {
        held.push(interner.compact(batch));
      },
      finish(sink) {
        if (held.length === 0) return;
        const all = concat(held.splice(0), input);
        const values = cols.map((c) =>
          Array.from({ length: all.length }, (_, i) => rawValue(all.columns[c], i)),
        );
        const order = Array.from({ length: all.length }, (_, i) => i);
        order.sort((a, b) => {
          for (let k = 0; k < keys.length; k++) {
            const x = values[k][a];
            const y = values[k][b];
            if (x === y) continue;
            if (x === null) return keys[k].nulls === 'first' ? -1 : 1;
            if (y === null) return keys[k].nulls === 'first' ? 1 : -1;
            const c = x < y ? -1 : 1;
            return keys[k].order === 'asc' ? c : -c;
          }
          return a - b;
        });
        emitSliced(take(all, order), sink);
      },
    };
  },
};
