/** trim: removes leading and trailing whitespace (optionally collapses inner runs of spaces). */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, textColumnsPlan, textMapPlan, type StepImpl } from '../step';

export const trim: StepImpl<StepOf<'trim'>> = {
  kind: 'trim',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    if (step.collapse_spaces)
      return textMapPlan(input, cols, (v) => v.trim().replace(/\s{2,}/g, ' '));
    return textColumnsPlan(input, cols, ({ values, plain }, n, changes) => {
      let out: (string | null)[] | null = null;
      let outPlain: Uint8Array | undefined;
      for (let i = 0; i < n; i++) {
        // Known to start and end with printable ASCII: nothing to trim, no need to look.
        if (plain !== undefined && plain[i] !== 0) continue;
        const v = values[i];
        if (v === null) continue;
        const a = v.charCodeAt(0);
        const z = v.charCodeAt(v.length - 1);
        if (a > 32 && a < 127 && z > 32 && z < 127) continue;
        const t = v.trim();
        if (t === v) continue;
        if (out === null) {
          out = values.slice(0, n);
          outPlain = plain?.slice(0, n);
        }
        out[i] = t;
        if (outPlain !== undefined) outPlain[i] = plainLength(t);
        changes.cells++;
      }
      return out && { kind: 'text', values: out, ...(outPlain ? { plain: outPlain } : {}) };
    });
  },
};

/** TextColumn.plain of a value: its length if it starts and ends with printable ASCII, else 0. */
function plainLength(t: string): number {
  if (t.length === 0) return 0;
  const a = t.charCodeAt(0);
  const z = t.charCodeAt(t.length - 1);
  return a > 32 && a < 127 && z > 32 && z < 127 ? Math.min(255, t.length) : 0;
}
