/** drop: removes the listed columns. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, type StepImpl } from '../step';

export const drop: StepImpl<StepOf<'drop'>> = {
  kind: 'drop',
  plan(step, input) {
    const gone = new Set(resolveColumns(step.columns, input));
    const keep = input.flatMap((_, i) => (gone.has(i) ? [] : [i]));
    const fields = keep.map((i) => input[i]);
    return {
      fields,
      process(batch, sink) {
        sink.emit({ ...batch, fields, columns: keep.map((i) => batch.columns[i]) });
      },
    };
  },
};
