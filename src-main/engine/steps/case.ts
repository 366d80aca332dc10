/** case: upper, lower or title case for text columns. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { resolveColumns, textMapPlan, type StepImpl } from '../step';

export function titleCase(v: string): string {
  return v
    .toLowerCase()
    .replace(/(^|[\s\-'(/])(\p{L})/gu, (_m, pre: string, ch: string) => pre + ch.toUpperCase());
}

export const caseStep: StepImpl<StepOf<'case'>> = {
  kind: 'case',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    const fn =
      step.to === 'upper'
        ? (v: string) => v.toUpperCase()
        : step.to === 'lower'
          ? (v: string) => v.toLowerCase()
          : titleCase;
    return textMapPlan(input, cols, fn);
  },
};
