/**
 * What the import card tells before a pipeline is made, from the whole-file inspection: whether
 * the chosen key is unique over all rows, the steps the recipe will have, what is wrong with a
 * name as it is typed, and a free name for a file that keeps both copies.
 */
import { parse } from 'yaml';
import { PipelineName } from '../../../src-shared/api/contract';
import type { Inspection } from '../../store/types';

export type KeyCheck =
  | { state: 'unique'; why: string }
  | { state: 'duplicates'; why: string }
  | { state: 'unknown'; why: string }
  | { state: 'none'; why: string };

/**
 * From counts over every row: exact for one column (unless its distinct values were too many to
 * count) and for the key inference found (it checked every row); duplicates are certain when
 * the key's columns cannot have as many combinations as there are rows.
 */
export function keyCheck(ins: Inspection, key: string[] | null): KeyCheck {
  if (!key?.length) return { state: 'none', why: 'no key: rows are not de-duplicated' };
  const cols = key.map((k) => ins.columns.find((c) => c.name === k)).filter((c) => !!c);
  const rows = ins.rows;
  const whole = (c: (typeof cols)[number]): boolean =>
    !c.distinct_capped && c.null_count === 0 && c.distinct_count === rows;
  const one = cols.find(whole);
  if (one)
    return {
      state: 'unique',
      why: `unique over all ${rows.toLocaleString()} rows (${one.name} alone is)`,
    };
  const same = (a: string[], b: string[] | null): boolean =>
    !!b && a.length === b.length && a.every((x) => b.includes(x));
  if (same(key, ins.suggested_key))
    return { state: 'unique', why: `unique over all ${rows.toLocaleString()} rows` };
  if (cols.every((c) => !c.distinct_capped)) {
    const combos = cols.reduce(
      (p, c) => p * Math.max(1, c.distinct_count + (c.null_count ? 1 : 0)),
      1,
    );
    if (combos < rows)
      return {
        state: 'duplicates',
        why: `not unique: at most ${combos.toLocaleString()} different keys for ${rows.toLocaleString()} rows, so dedupe will remove at least ${(rows - combos).toLocaleString()}`,
      };
  }
  return {
    state: 'unknown',
    why: 'not known before the run: its dedupe step will count any duplicates it removes',
  };
}

/** The recipe's steps as the card lists them, with the key chosen in place of the suggested one. */
export function plannedSteps(ins: Inspection, key: string[] | null): string[] {
  let steps: Record<string, unknown>[] = [];
  try {
    const doc = parse(ins.yaml) as { steps?: Record<string, unknown>[] } | null;
    steps = (doc?.steps ?? []).filter((s) => s.step !== 'dedupe');
  } catch {
    return [];
  }
  if (key?.length) steps.push({ step: 'dedupe', key });
  return steps.map(describeStep);
}

function describeStep(s: Record<string, unknown>): string {
  const list = (v: unknown): string =>
    Array.isArray(v)
      ? v.join(', ')
      : v && typeof v === 'object'
        ? Object.entries(v)
            .map(([k, t]) => `${k} → ${String(t)}`)
            .join(', ')
        : '';
  switch (s.step) {
    case 'trim':
      return 'trim spaces in every text column';
    case 'nullify':
      return 'empty values become null';
    case 'parse_dates':
      return `parse dates: ${list(s.columns)} (${list(s.formats)})`;
    case 'parse_numbers':
      return `parse numbers: ${list(s.columns)} (${String(s.type)})`;
    case 'cast':
      return `cast: ${list(s.columns)}`;
    case 'dedupe':
      return `de-duplicate on ${list(s.key)}`;
    default:
      return String(s.step);
  }
}

/** What is wrong with a pipeline name, in plain words; null when it will do. */
export function nameProblem(name: string, taken: boolean): string | null {
  if (!name) return 'the pipeline needs a name';
  if (!PipelineName.safeParse(name).success)
    return /^[.-]/.test(name)
      ? 'a name starts with a letter, a digit or _'
      : 'use letters, digits, _ . and - only (no spaces)';
  if (taken) return `a pipeline ${name} exists already: choose another name`;
  return null;
}

/** Sales.csv → Sales-2.csv (then -3, …): the name a second copy is kept under. */
export function keepBothName(file: string, n = 2): string {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? `${file.slice(0, dot)}-${n}${file.slice(dot)}` : `${file}-${n}`;
}
