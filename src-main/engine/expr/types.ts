/** The shapes shared by the parser, the checker and the evaluator. */
import type { Batch, Value } from '../table';

export type Kind = 'number' | 'string' | 'boolean' | 'date' | 'datetime' | 'null' | 'any';

/** A compiled expression: bind it to a batch, then evaluate rows. */
export interface CompiledExpr {
  kind: Kind;
  /** True when the value is always a whole number. */
  int?: boolean;
  bind(batch: Batch): (row: number) => Value;
}

export type Bound = (b: Batch) => (i: number) => Value;

export interface CompiledNode {
  kind: Kind;
  bind: Bound;
  /** Numbers that are always whole (int columns, counts, date parts): derive types them int. */
  int?: boolean;
}
