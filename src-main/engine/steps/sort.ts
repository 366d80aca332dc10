/**
 * sort: orders all rows by one or more columns, each ascending or descending, with nulls first
 * or last (last by default). Stable: rows that compare equal keep their order.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { rowComparator, sortKeys } from '../order';
import { emitSliced, holdAll, type StepImpl } from '../step';
import { take } from '../table';

export const sort: StepImpl<StepOf<'sort'>> = {
  kind: 'sort',
  plan(step, input) {
    const keys = sortKeys(step.by, input, 'by');
    return holdAll(input, (all, sink) => {
      const cmp = rowComparator(all, keys);
      const order = Array.from({ length: all.length }, (_, i) => i);
      order.sort((a, b) => cmp(a, b) || a - b);
      emitSliced(take(all, order), sink);
    });
  },
};
