/** nullify: empty, whitespace-only and listed tokens (N/A, NULL, ...) become null. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, textMapPlan, type StepImpl } from '../step';

export const nullify: StepImpl<StepOf<'nullify'>> = {
  kind: 'nullify',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    const tokens = new Set(
      step.case_sensitive ? step.tokens : step.tokens.map((t) => t.toLowerCase()),
    );
    const fold = !step.case_sensitive;
    return textMapPlan(input, cols, (v) => {
      if (v.length === 0) return null;
      const c = v.charCodeAt(0);
      // Fast path: most values start with a character that is neither space nor a token start.
      if (c > 32 && v.charCodeAt(v.length - 1) > 32 && !mayBeToken(v, tokens, fold)) return v;
      const t = v.trim();
      if (t.length === 0) return null;
      return tokens.has(fold ? t.toLowerCase() : t) ? null : v;
    });
  },
};

function mayBeToken(v: string, tokens: Set<string>, fold: boolean): boolean {
  if (v.length > 16) return false;
  return tokens.has(fold ? v.toLowerCase() : v);
}
