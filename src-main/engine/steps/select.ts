/** select: keeps the listed columns, in the listed order. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, StepConfigError, type StepImpl } from '../step';

export const select: StepImpl<StepOf<'select'>> = {
  kind: 'select',
  plan(step, input) {
    const idx = resolveColumns(step.columns, input);
    if (new Set(idx).size !== idx.length)
      throw new StepConfigError('a column is listed twice', ['columns']);
    const fields = idx.map((i) => input[i]);
    return {
      fields,
      process(batch, sink) {
        sink.emit({ ...batch, fields, columns: idx.map((i) => batch.columns[i]) });
      },
    };
  },
};
