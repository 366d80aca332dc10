/** filter: keeps the rows where a safe expression is true; the others are removed with a reason. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { compileExpr, ExprError } from '../expr';
import { StepConfigError, type StepImpl } from '../step';
import { take } from '../table';

export const filter: StepImpl<StepOf<'filter'>> = {
  kind: 'filter',
  plan(step, input) {
    let expr;
    try {
      expr = compileExpr(step.where, input);
    } catch (e) {
      if (e instanceof ExprError) throw new StepConfigError(e.message, ['where']);
      throw e;
    }
    const reason = `filter: ${step.where}`;
    return {
      fields: input,
      process(batch, sink) {
        const f = expr.bind(batch);
        const idx: number[] = [];
        let i = 0;
        try {
          for (; i < batch.length; i++) {
            if (f(i) === true) idx.push(i);
            else sink.remove(batch, i, reason);
          }
        } catch (e) {
          if (e instanceof ExprError)
            throw new Error(`${e.message}, on the row at line ${batch.line[i]}`);
          throw e;
        }
        if (idx.length) sink.emit(take(batch, idx));
      },
    };
  },
};
