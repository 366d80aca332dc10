/** trim: removes leading and trailing whitespace (optionally collapses inner runs of spaces). */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, textColumnsPlan, textMapPlan, type StepImpl } from '../step';

export const trim: StepImpl<StepOf<'trim'>> = {
  kind: 'trim',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    if (step.collapse_spaces)
      return textMapPlan(input, cols, (v) => v.trim().replace(/\s{2,}/g, ' '));
    return textColumnsPlan(input, cols, (values, n, changes) => {
      let out: (string | null)[] | null = null;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null) continue;
        // Printable ASCII at both ends: nothing to trim, no need to scan.
        const a = v.charCodeAt(0);
        const z = v.charCodeAt(v.length - 1);
        if (a > 32 && a < 127 && z > 32 && z < 127) continue;
        const t = v.trim();
        if (t === v) continue;
        if (out === null) out = values.slice(0, n);
        out[i] = t;
        changes.cells++;
      }
      return out;
    });
  },
};
