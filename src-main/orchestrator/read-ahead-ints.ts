/**
 * Which of a source's columns the read-ahead thread may read straight from their bytes as whole
 * numbers (csv-raw.ts intColumn), without making a string per cell: the columns its steps only
 * trim and nullify before they cast them to int. For a batch in which every cell of such a
 * column is plain digits (csv-raw.ts says which), that is exactly what the steps would make of
 * it: trimming finds nothing to trim, no token of nullify is digits, cast gives the same number
 * and counts no change (the digits read as the number), and nothing is rejected for that column.
 * The steps leave a column of numbers as it is (they convert text), and a row another step of
 * the batch rejects shows the number's digits (table.ts rowRecord). Any other step that names
 * the column before its cast, or a step that may rename, reorder or rewrite it, and it is read
 * as text.
 */
import type { Step } from '../../src-shared/recipe/steps';

/** Per source column, in order: whether it may be read as whole numbers (see above). */
export function intColumns(steps: Step[], columns: string[]): boolean[] {
  return columns.map((name) => castsToIntFirst(steps, name));
}

function castsToIntFirst(steps: Step[], name: string): boolean {
  for (const s of steps) {
    if (s.enabled === false) continue;
    switch (s.step) {
      case 'trim':
        continue;
      case 'nullify':
        // A token of digits ("0", "999") would nullify cells that are plain digits.
        if (s.tokens.some((t) => t.length > 0 && /^\d+$/.test(t))) return false;
        continue;
      case 'parse_dates':
      case 'parse_numbers':
        if (s.columns.includes(name)) return false;
        continue;
      case 'cast': {
        if (!Object.hasOwn(s.columns, name)) continue;
        return s.columns[name] === 'int' && s.on_error !== 'keep';
      }
      default:
        return false;
    }
  }
  return false;
}
