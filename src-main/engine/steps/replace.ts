/** replace: whole values from a map (a value may map to null), or a regular expression. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { compileRegex, resolveColumns, textMapPlan, type StepImpl } from '../step';

export const replace: StepImpl<StepOf<'replace'>> = {
  kind: 'replace',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    if (step.values) {
      const map = new Map(Object.entries(step.values));
      return textMapPlan(input, cols, (v) => (map.has(v) ? (map.get(v) as string | null) : v));
    }
    const re = compileRegex(step.regex!, ['regex']);
    const withText = step.with ?? '';
    return textMapPlan(input, cols, (v) => re.replaceAll(v, withText));
  },
};
