/** nullify: empty, whitespace-only and listed tokens (N/A, NULL, ...) become null. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, textMapPlan, type StepImpl } from '../step';

export const nullify: StepImpl<StepOf<'nullify'>> = {
  kind: 'nullify',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    const fold = !step.case_sensitive;
    const tokens = new Set(fold ? step.tokens.map((t) => t.toLowerCase()) : step.tokens);
    // Cheap pre-checks so that ordinary values never pay for toLowerCase: a token can only
    // match a value of its length that starts with one of its first characters.
    const lengths = new Set(step.tokens.map((t) => t.length));
    const firsts = new Set(
      step.tokens.flatMap((t) =>
        fold ? [t.toLowerCase().charCodeAt(0), t.toUpperCase().charCodeAt(0)] : [t.charCodeAt(0)],
      ),
    );
    const isToken = (t: string): boolean =>
      lengths.has(t.length) &&
      firsts.has(t.charCodeAt(0)) &&
      tokens.has(fold ? t.toLowerCase() : t);
    return textMapPlan(input, cols, (v) => {
      if (v.length === 0) return null;
      const a = v.charCodeAt(0);
      const z = v.charCodeAt(v.length - 1);
      // Printable ASCII at both ends: nothing to trim (other characters may be Unicode spaces).
      if (a > 32 && a < 127 && z > 32 && z < 127) return isToken(v) ? null : v;
      const t = v.trim();
      if (t.length === 0) return null;
      return isToken(t) ? null : v;
    });
  },
};
