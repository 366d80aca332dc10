/**
 * sort: orders all rows by one or more columns, each ascending or descending, with nulls first
 * or last (last by default). Stable: rows that compare equal keep their order.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { rowComparator, sortKeys } from '../order';
import { emitSliced, type StepImpl } from '../step';
import { HeldRows, take } from '../table';

export const sort: StepImpl<StepOf<'sort'>> = {
  kind: 'sort',
  plan(step, input) {
    const keys = sortKeys(step.by, input, 'by');
    const held = new HeldRows();
    return {
      fields: input,
      process(batch) {
        held.add(batch);
      },
      finish(sink) {
        const all = held.takeAll(input);
        if (!all) return;
        const cmp = rowComparator(all, keys);
        const order = Array.from({ length: all.length }, (_, i) => i);
        order.sort((a, b) => cmp(a, b) || a - b);
        emitSliced(take(all, order), sink);
      },
    };
  },
};
