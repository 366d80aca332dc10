/**
 * sort: orders all rows by one or more columns, each ascending or descending, with nulls first
 * or last (last by default). Stable: rows that compare equal keep their order.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { rowComparator, sortKeys } from '../order';
import { emitSliced, type StepImpl } from '../step';
import { concat, take, TextInterner, type Batch } from '../table';

export const sort: StepImpl<StepOf<'sort'>> = {
  kind: 'sort',
  plan(step, input) {
    const keys = sortKeys(step.by, input, 'by');
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
        const cmp = rowComparator(all, keys);
        const order = Array.from({ length: all.length }, (_, i) => i);
        order.sort((a, b) => cmp(a, b) || a - b);
        emitSliced(take(all, order), sink);
      },
    };
  },
};
