/**
 * What the import card tells before a pipeline is made, from the whole-file inspection: whether
 * the chosen key is unique over all rows, the steps the recipe will have, what is wrong with a
 * name as it is typed, and a free name for a file that keeps both copies.
 */
import { parse } from 'yaml';
import { PipelineName } from '../../../src-shared/api/contract';
import { keyCheckWords } from '../../../src-shared/key-words';
import type { ImportItem, Inspection } from '../../store/types';

export type KeyFact =
  | { state: 'unique'; why: string }
  | { state: 'duplicates'; why: string }
  | { state: 'checking'; why: string }
  | { state: 'unknown'; why: string }
  | { state: 'none'; why: string };

const sameKey = (a: string[], b: string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * What the card says of the chosen key: the service's count over every row (as the recipe's
 * de-duplication will find, after its earlier steps), "checking…" until that answer is for
 * this very key.
 */
export function keyCheck(
  ins: Inspection,
  key: string[] | null,
  asked: ImportItem['keyCheck'],
): KeyFact {
  if (!key?.length) return { state: 'none', why: 'no key: rows are not de-duplicated' };
  if (!asked || !sameKey(asked.key, key) || (!asked.result && !asked.error))
    return { state: 'checking', why: 'checking…' };
  if (!asked.result) return { state: 'unknown', why: `could not check it: ${asked.error}` };
  const { unique, words } = keyCheckWords(asked.result, ins.rows);
  return { state: unique ? 'unique' : 'duplicates', why: words };
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
