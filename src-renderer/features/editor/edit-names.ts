/**
 * Names for the recipe's undo history, from the recipes before and after an edit: "Added trim
 * on Name", "Removed step 4 (dedupe)", "Moved step 3 up", "Changed columns of step 2 (trim)",
 * and, for what is not one step's change, "Edited the YAML at line 12".
 */
import { parse } from 'yaml';
import { parseRecipe } from './recipe-doc';

type StepObj = Record<string, unknown>;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const kindOf = (s: StepObj): string => String(s.step ?? 'step');

/** "on Name", "on Name, City", "on 4 columns": what a new step works on, if it says. */
function onWhat(s: StepObj): string {
  const cols = s.columns ?? s.key ?? s.by;
  const names = Array.isArray(cols)
    ? cols.map(String)
    : cols && typeof cols === 'object'
      ? Object.keys(cols)
      : typeof cols === 'string' && cols !== 'all'
        ? [cols]
        : [];
  if (!names.length) return '';
  return names.length <= 2 ? ` on ${names.join(', ')}` : ` on ${names.length} columns`;
}

/** The first line (1-based) where two texts differ. */
function firstChangedLine(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i + 1;
}

/** "and": "columns", "columns and to", "columns, to and on_error". */
function andList(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** One step's change: enabled flipped, or which settings changed. */
function changedStep(a: StepObj, b: StepObj, i: number): string {
  const label = `step ${i + 1} (${kindOf(b)})`;
  if (kindOf(a) !== kindOf(b)) return `Changed step ${i + 1} from ${kindOf(a)} to ${kindOf(b)}`;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => !same(a[k], b[k]),
  );
  if (keys.length === 1 && keys[0] === 'enabled')
    return `${b.enabled === false ? 'Disabled' : 'Enabled'} ${label}`;
  return `Changed ${andList(keys)} of ${label}`;
}

/** A name for the edit that turned `before` into `after` (both recipe texts). */
export function nameEdit(before: string, after: string): string {
  const a = parseRecipe(before);
  const b = parseRecipe(after);
  const atLine = `Edited the YAML at line ${firstChangedLine(before, after)}`;
  // Text that does not parse has no steps to compare.
  if (a.issues.some((x) => x.kind === 'syntax') || b.issues.some((x) => x.kind === 'syntax'))
    return atLine;
  const x = a.steps;
  const y = b.steps;
  const { steps: _xs, ...restA } = (parseDocumentJs(before) ?? {}) as StepObj;
  const { steps: _ys, ...restB } = (parseDocumentJs(after) ?? {}) as StepObj;
  if (y.length === x.length + 1) {
    const at = y.findIndex((s, i) => i >= x.length || !same(s, x[i]));
    if (same([...y.slice(0, at), ...y.slice(at + 1)], x))
      return `Added ${kindOf(y[at])}${onWhat(y[at])}${at < x.length ? ` as step ${at + 1}` : ''}`;
  }
  if (x.length === y.length + 1) {
    const at = x.findIndex((s, i) => i >= y.length || !same(s, y[i]));
    if (same([...x.slice(0, at), ...x.slice(at + 1)], y))
      return `Removed step ${at + 1} (${kindOf(x[at])})`;
  }
  if (x.length === y.length) {
    const diff = x.flatMap((s, i) => (same(s, y[i]) ? [] : [i]));
    if (diff.length === 0) {
      const keys = Object.keys({ ...restA, ...restB }).filter((k) => !same(restA[k], restB[k]));
      return keys.length ? `Changed ${andList(keys)}` : atLine;
    }
    if (diff.length === 1) return changedStep(x[diff[0]], y[diff[0]], diff[0]);
    // One step taken out and put back elsewhere: a move.
    const [from, to] = [diff[0], diff[diff.length - 1]];
    if (same(y[from], x[to]) && same(y.slice(from + 1, to + 1), x.slice(from, to)))
      return to - from === 1 ? `Moved step ${to + 1} up` : `Moved step ${to + 1} to ${from + 1}`;
    if (same(y[to], x[from]) && same(y.slice(from, to), x.slice(from + 1, to + 1)))
      return to - from === 1
        ? `Moved step ${from + 1} down`
        : `Moved step ${from + 1} to ${to + 1}`;
  }
  return atLine;
}

/** The recipe as plain data, or null when it does not parse. */
function parseDocumentJs(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return null;
  }
}
