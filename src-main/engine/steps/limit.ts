/** limit: keeps `rows` rows after skipping `offset`; the others are counted as removed. */
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
        sink.drop(start, `before offset ${from}`);
        sink.drop(batch.length - end, `beyond limit ${step.rows}`);
        if (end > start) sink.emit(sliceRows(batch, start, end));
      },
    };
  },
};
