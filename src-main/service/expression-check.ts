/**
 * An expression checked as a step would check it, against the step's input columns: its type,
 * or its problems with where they are, for an editor to mark in place.
 */
import type { Result } from '../../src-shared/api/contract';
import { compileExpr, ExprError } from '../engine/expr';
import { derivedType } from '../engine/steps/derive';
import type { Field } from '../engine/table';
import type { ProjectContext } from './context';
import { ApiFailure } from './errors';
import { stepColumns } from './step-columns';

type Checked = Result<'pipelines.checkExpression'>;

/** The span of the token at `pos`: a [column name], a word, a quoted text or one character. */
function tokenEnd(source: string, pos: number): number {
  const m = /^(\[[^\]]*\]?|[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d*)?|'[^']*'?|"[^"]*"?|\S)/.exec(
    source.slice(pos),
  );
  return pos + (m ? m[0].length : 0);
}

function problemOf(e: ExprError, source: string): Checked['errors'][number] {
  if (e.position === undefined) return { from: 0, to: source.length, message: e.reason };
  const from = Math.min(e.position, source.length);
  return { from, to: tokenEnd(source, from), message: e.reason };
}

/** The columns a derive's earlier expressions add before `column`, typed as derive types them. */
function derivedBefore(written: unknown, column: string, input: Field[]): Field[] {
  const columns = (written as { columns?: unknown } | null)?.columns;
  let fields = input;
  if (!columns || typeof columns !== 'object') return fields;
  for (const [name, source] of Object.entries(columns)) {
    if (name === column) break;
    try {
      const type = derivedType(compileExpr(String(source), fields));
      const i = fields.findIndex((f) => f.name === name);
      fields =
        i < 0 ? [...fields, { name, type }] : fields.map((f, k) => (k === i ? { name, type } : f));
    } catch {
      // An earlier expression with its own problem: its column is left out here.
    }
  }
  return fields;
}

/** Checks `expression` as step `step` (1-based) of pipeline `name`, or the unsaved `yaml`. */
export async function checkExpression(
  svc: ProjectContext,
  p: { name: string; step: number; expression: string; column?: string; yaml?: string },
): Promise<Checked> {
  const { steps, written } = await stepColumns(svc, p.name, p.yaml);
  const at = steps[p.step - 1];
  if (!at)
    throw new ApiFailure(
      'bad_request',
      `pipeline ${p.name} has ${steps.length} steps; there is no step ${p.step}`,
    );
  let fields = at.input as Field[];
  if (at.kind === 'derive' && p.column !== undefined)
    fields = derivedBefore(written[p.step - 1], p.column, fields);
  if (p.expression.trim() === '')
    return { type: null, errors: [{ from: 0, to: 0, message: 'an expression is needed here' }] };
  try {
    const expr = compileExpr(p.expression, fields);
    const type = derivedType(expr);
    if (at.kind === 'filter' && !['boolean', 'null', 'any'].includes(expr.kind))
      return {
        type,
        errors: [
          {
            from: 0,
            to: p.expression.length,
            message: `a filter keeps the rows where the condition is true, but this gives ${expr.kind === 'number' ? 'a number' : `a ${expr.kind}`}, not true or false`,
          },
        ],
      };
    return { type, errors: [] };
  } catch (e) {
    if (e instanceof ExprError) return { type: null, errors: [problemOf(e, p.expression)] };
    throw e;
  }
}
