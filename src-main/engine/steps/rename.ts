/** rename: new names for columns; a clash with an existing name is a configuration error. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, StepConfigError, type StepImpl } from '../step';

export const rename: StepImpl<StepOf<'rename'>> = {
  kind: 'rename',
  plan(step, input) {
    const to = new Map(Object.entries(step.columns));
    resolveColumns([...to.keys()], input);
    const fields = input.map((f) => {
      const name = to.get(f.name);
      return name === undefined ? f : { ...f, name };
    });
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
