/** rename: new names for columns; a clash with an existing name is a configuration error. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, StepConfigError, type StepImpl } from '../step';

export const rename: StepImpl<StepOf<'rename'>> = {
  kind: 'rename',
  plan(step, input) {
    const from = Object.keys(step.columns);
    resolveColumns(from, input);
    const fields = input.map((f) =>
      f.name in step.columns ? { ...f, name: step.columns[f.name] } : f,
    );
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name))
        throw new StepConfigError(`two columns would be called "${f.name}"`, ['columns']);
      seen.add(f.name);
    }
    return {
      fields,
      process(batch, sink) {
        sink.emit({ ...batch, fields });
      },
    };
  },
};
