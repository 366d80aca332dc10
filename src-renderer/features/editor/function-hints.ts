/** Completion of function names where expressions are typed, from the function table. */
import { FUNCTIONS, type FunctionDoc } from '../../../src-shared/recipe/functions';

export interface Hints {
  /** Where the word being typed starts and ends in the text. */
  start: number;
  end: number;
  functions: FunctionDoc[];
}

/** Whether `cursor` sits inside a quoted text or a [column name], where names are not code. */
function inLiteral(before: string): boolean {
  let quote: string | null = null;
  let bracket = false;
  for (const c of before) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (bracket) {
      if (c === ']') bracket = false;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '[') bracket = true;
  }
  return quote !== null || bracket;
}

/**
 * The functions whose names start with the word typed before the cursor, e.g.
 * `functionHints('upp', 3)` offers upper; none inside quotes or brackets, or once the
 * name is complete and followed by `(`.
 */
export function functionHints(text: string, cursor: number): Hints | null {
  const before = text.slice(0, cursor);
  const m = /[A-Za-z_]+$/.exec(before);
  if (!m || inLiteral(before.slice(0, m.index))) return null;
  if (m.index > 0 && /[0-9]/.test(before[m.index - 1])) return null;
  const end = cursor + (/^[A-Za-z0-9_]*/.exec(text.slice(cursor))?.[0].length ?? 0);
  const word = text.slice(m.index, end).toLowerCase();
  if (text[end] === '(') return null;
  const functions = FUNCTIONS.filter(
    (f) => f.name.startsWith(m[0].toLowerCase()) && f.name !== word,
  );
  return functions.length ? { start: m.index, end, functions } : null;
}

/** The text with the typed word replaced by `name(`, and the cursor after the parenthesis. */
export function applyHint(
  text: string,
  hints: Hints,
  f: FunctionDoc,
): { text: string; cursor: number } {
  const call = `${f.name}(`;
  return {
    text: text.slice(0, hints.start) + call + text.slice(hints.end),
    cursor: hints.start + call.length,
  };
}
