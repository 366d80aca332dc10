/**
 * derive: new or replaced columns from expressions (the language of filter, plus if/case,
 * string, number and date functions). Each expression may use the columns derived before it.
 * A value of the wrong type at run time stops the run with the expression and the row's line.
 */
import type { ColumnType, StepOf } from '../../../src-shared/recipe/steps';
import { compileExpr, ExprError, type CompiledExpr, type Kind } from '../expr';
import { StepConfigError, type StepImpl } from '../step';
import { numColumn, type Batch, type Column, type Field } from '../table';

const TYPE_OF: Record<Kind, ColumnType> = {
  number: 'float',
  string: 'string',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  null: 'string',
  any: 'string',
};

/** The column type a derived expression gives: whole numbers are int. */
export function derivedType(expr: CompiledExpr): ColumnType {
  return expr.kind === 'number' && expr.int ? 'int' : TYPE_OF[expr.kind];
}

export const derive: StepImpl<StepOf<'derive'>> = {
  kind: 'derive',
  plan(step, input) {
    let fields: Field[] = input;
    const plans: {
      name: string;
      expr: CompiledExpr;
      source: string;
      at: number;
      type: ColumnType;
    }[] = [];
    for (const [name, source] of Object.entries(step.columns)) {
      let expr: CompiledExpr;
      try {
        expr = compileExpr(source, fields);
      } catch (e) {
        if (e instanceof ExprError)
          throw new StepConfigError(`${name}: ${e.message}`, ['columns', name]);
        throw e;
      }
      const type = derivedType(expr);
      const at = fields.findIndex((f) => f.name === name);
      fields =
        at < 0
          ? [...fields, { name, type }]
          : fields.map((f, i) => (i === at ? { name, type } : f));
      plans.push({ name, expr, source, at: at < 0 ? fields.length - 1 : at, type });
    }
    const out = fields;
    return {
      fields: out,
      process(batch, sink) {
        let b: Batch = batch;
        for (const p of plans) {
          const f = p.expr.bind(b);
          let col: Column;
          let i = 0;
          try {
            if (p.type === 'string') {
              const vals = new Array<string | null>(b.length);
              for (; i < b.length; i++) {
                const v = f(i);
                vals[i] = v === null ? null : String(v);
              }
              col = { kind: 'text', values: vals };
            } else {
              const c = numColumn(b.length);
              for (; i < b.length; i++) {
                const v = f(i);
                if (v === null || (typeof v === 'number' && !Number.isFinite(v))) continue;
                c.values[i] = typeof v === 'boolean' ? +v : (v as number);
                c.valid[i] = 1;
              }
              col = c;
            }
          } catch (e) {
            if (e instanceof ExprError)
              throw new Error(`${p.name}: ${e.message}, on the row at line ${b.line[i]}`);
            throw e;
          }
          // Expressions find columns by position, which the plan fixed as it added columns.
          const columns = b.columns.slice();
          columns[p.at] = col;
          b = { ...b, columns };
        }
        sink.changed(batch.length * plans.length);
        sink.emit({ ...b, fields: out });
      },
    };
  },
};
