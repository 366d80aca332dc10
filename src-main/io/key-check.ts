/**
 * Whether a key is unique over every row of a CSV file, as a run's de-duplication would find:
 * the recipe's steps before its dedupe run first (trimmed text, parsed dates and numbers), so
 * two renderings of one date are one key. Runs on a worker of the pool, streaming.
 */
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import type { Step } from '../../src-shared/recipe/steps';
import { formatValue } from '../engine/format';
import { KeySet } from '../engine/hashset';
import { keyFnWithNulls, type RowKey } from '../engine/keys';
import { planPipeline } from '../engine/pipeline';
import { detach, rawValue, type Batch } from '../engine/table';
import { openCsv } from './csv-read';

export interface KeyCheckTask {
  path: string;
  settings: Partial<SourceSettings>;
  /** The recipe's steps that come before its de-duplication (parsed, with their defaults). */
  steps: Step[];
  key: string[];
}

export interface KeyCheckResult {
  key: string[];
  /** Rows the key was checked over: every row that reaches the de-duplication. */
  rows: number;
  /** Rows whose key an earlier row has: the ones `dedupe` (keep first) removes. */
  duplicateRows: number;
  /** Key values found on more than one row. */
  duplicateKeys: number;
  /** The first key value found twice, as text (null for an empty value), and its rows. */
  example: { values: (string | null)[]; rows: number } | null;
}

/** A key that names a column the data does not have at that point. */
export class KeyCheckFailed extends Error {}

/**
 * Counts the rows that repeat a key over the whole file.
 * @example await checkKey({ path: 'Sales.csv', settings: {}, steps: [], key: ['Order Number'] })
 */
export async function checkKey(t: KeyCheckTask): Promise<KeyCheckResult> {
  const src = await openCsv(t.path, t.settings);
  const seen = new KeySet();
  const repeated = new KeySet();
  let rows = 0;
  let duplicateRows = 0;
  let duplicateKeys = 0;
  let first: { key: RowKey; values: (string | null)[]; rows: number } | null = null;
  let cols: number[] = [];
  const count = (b: Batch): void => {
    const key = keyFnWithNulls(b, cols);
    for (let i = 0; i < b.length; i++) {
      const k = key(i);
      if (seen.add(k)) continue;
      duplicateRows++;
      if (repeated.add(k)) duplicateKeys++;
      if (!first) first = { key: k, values: valuesAt(b, cols, i), rows: 1 };
      if (first.key === k) first.rows++;
    }
    rows += b.length;
  };
  const input = src.info.columns.map((name) => ({ name, type: 'string' as const }));
  const plan = planPipeline(t.steps, input, { onOutput: count });
  const names = plan.fields.map((f) => f.name);
  cols = t.key.map((k) => names.indexOf(k));
  const missing = t.key.filter((_, i) => cols[i] < 0);
  if (missing.length)
    throw new KeyCheckFailed(
      `the key names columns the data does not have: ${missing.join(', ')} (it has ${names.join(', ')})`,
    );
  for await (const batch of src.batches(() => undefined)) plan.push(batch);
  plan.finish();
  const example = first as { values: (string | null)[]; rows: number } | null;
  return {
    key: t.key,
    rows,
    duplicateRows,
    duplicateKeys,
    example: example ? { values: example.values, rows: example.rows } : null,
  };
}

/** The key's values of row i as text, as a CSV output would write them. */
function valuesAt(b: Batch, cols: number[], i: number): (string | null)[] {
  return cols.map((c) => {
    const v = rawValue(b.columns[c], i);
    return v === null ? null : detach(formatValue(b.fields[c].type, v));
  });
}
