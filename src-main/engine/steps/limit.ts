/** limit: keeps `rows` rows after skipping `offset`; the others are removed, each with its reason. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import type { StepImpl } from '../step';
import { sliceRows } from '../table';

export const limit: StepImpl<StepOf<'limit'>> = {
  kind: 'limit',
  plan(step, input) {
    let seen = 0;
    const from = step.offset;
    const to = step.offset + step.rows;
    return {
      fields: input,
      process(batch, sink) {
        const start = Math.min(batch.length, Math.max(0, from - seen));
        const end = Math.min(batch.length, Math.max(0, to - seen));
        seen += batch.length;
        // Each removed row is kept with its reason (the removed-rows store), not just counted.
        for (let i = 0; i < start; i++) sink.remove(batch, i, `before offset ${from}`);
        for (let i = end; i < batch.length; i++) sink.remove(batch, i, `beyond limit ${step.rows}`);
        if (end > start) sink.emit(sliceRows(batch, start, end));
      },
    };
  },
};
