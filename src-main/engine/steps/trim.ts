/** trim: removes leading and trailing whitespace (optionally collapses inner runs of spaces). */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, textMapPlan, type StepImpl } from '../step';

export const trim: StepImpl<StepOf<'trim'>> = {
  kind: 'trim',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    const fn = step.collapse_spaces
      ? (v: string) => v.trim().replace(/\s{2,}/g, ' ')
      : (v: string) => {
          // Printable ASCII at both ends: nothing to trim, no need to scan.
          const a = v.charCodeAt(0);
          const z = v.charCodeAt(v.length - 1);
          return a > 32 && a < 127 && z > 32 && z < 127 ? v : v.trim();
        };
    return textMapPlan(input, cols, fn);
  },
};
