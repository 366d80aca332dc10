/** A run's rejected and removed rows as CSV (formula-protected), for the CLI and the API. */
import { writeFileAtomic } from '../io/atomic-write';
import { csvRow } from '../io/csv-write';
import type { RecordsStore } from '../store/store';

const HEAD = [
  'pipeline',
  'kind',
  'source',
  'line',
  'line_end',
  'step',
  'rule',
  'reason',
  'raw',
  'record_json',
  'record_hash',
  'status',
];

/** The run's rejects as CSV text; null cells are empty. */
export function rejectsCsv(
  store: Pick<RecordsStore, 'rejects'>,
  runId: string,
): { rows: number; csv: string } {
  const items = store.rejects(runId).items;
  let csv = csvRow(HEAD);
  for (const r of items)
    csv += csvRow([
      r.pipeline,
      r.kind,
      r.source,
      r.line,
      r.lineEnd,
      r.step,
      r.rule,
      r.reason,
      r.raw,
      r.record ? JSON.stringify(r.record) : null,
      r.recordHash,
      r.status,
    ]);
  return { rows: items.length, csv };
}

/** Writes the run's rejects to `path`, complete or not at all; returns how many. */
export function exportRejects(
  store: Pick<RecordsStore, 'rejects'>,
  runId: string,
  path: string,
): number {
  const { rows, csv } = rejectsCsv(store, runId);
  writeFileAtomic(path, csv);
  return rows;
}
