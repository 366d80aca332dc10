/**
 * Checks every step of a recipe against the columns that reach it, without reading any rows:
 * the editor's "semantic" problems (an unknown column, an expression that does not parse or
 * type-check). Unlike planPipeline, which stops at the first error, this goes on past a step
 * that fails (with its input columns unchanged) so every problem shows at once.
 */
import type { Step } from '../../src-shared/recipe/steps';
import { STEPS } from './steps/index';
import { StepConfigError, type PlanContext, type StepImpl } from './step';
import type { Field } from './table';

export interface StepProblem {
  /** ['steps', index, ...the setting's path]. */
  path: (string | number)[];
  message: string;
}

/** The problems of `steps` over `input`; sides (join, union) come from `ctx`. */
export function checkSteps(steps: Step[], input: Field[], ctx: PlanContext): StepProblem[] {
  const problems: StepProblem[] = [];
  let fields = input;
  steps.forEach((step, index) => {
    if (step.enabled === false) return;
    const impl = STEPS[step.step] as StepImpl;
    try {
      fields = impl.plan(step, fields, ctx).fields;
    } catch (e) {
      if (!(e instanceof StepConfigError)) throw e;
      problems.push({ path: ['steps', index, ...e.path], message: e.message });
    }
  });
  return problems;
}
