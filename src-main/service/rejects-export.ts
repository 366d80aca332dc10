/** A run's rejected and removed rows as a CSV file (formula-protected), for the CLI and the API. */
import { CsvWriter } from '../io/csv-write';
import { textColumn } from '../engine/table';
import type { RunStore } from '../store/store';

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

/** Writes the run's rejects to `path` (complete or not at all); returns how many. */
export function exportRejects(store: RunStore, runId: string, path: string): number {
  const it = store.rejects(runId).items;
  const w = new CsvWriter(path, { formulaProtection: true });
  w.open(HEAD);
  const col = (f: (r: (typeof it)[number]) => string | null) => textColumn(it.map(f));
  w.write({
    fields: HEAD.map((name) => ({ name, type: 'string' as const })),
    columns: [
      col((r) => r.pipeline),
      col((r) => r.kind),
      col((r) => r.source),
      col((r) => String(r.line)),
      col((r) => String(r.lineEnd)),
      col((r) => r.step),
      col((r) => r.rule),
      col((r) => r.reason),
      col((r) => r.raw),
      col((r) => (r.record ? JSON.stringify(r.record) : null)),
      col((r) => r.recordHash),
      col((r) => r.status),
    ],
    length: it.length,
    line: new Int32Array(it.length),
    lineEnd: new Int32Array(it.length),
  });
  w.commit();
  return it.length;
}
