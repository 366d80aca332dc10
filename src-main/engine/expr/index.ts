/**
 * A small, safe expression language for filters and derived columns: lexer, parser, a
 * checker and evaluator driven by the function table (src-shared/recipe/functions.ts).
 *
 *   Quantity > 0 and [Currency Code] in ('USD', 'EUR')
 *   not is_null(Email) and matches(Email, '@example\.com$')
 *   year([Order Date]) >= 2019
 */
export { isoWeekOf, quarterOf, weekdayOf } from './calendar';
export { compileExpr } from './compile';
export { ExprError } from './error';
export { IMPLEMENTATIONS } from './functions';
export { MAX_DEPTH } from './parser';
export type { CompiledExpr, Kind } from './types';
