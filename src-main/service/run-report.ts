/** A run's summary as a report file: JSON (the run, each pipeline's result) or CSV (a row each). */
import { csvRow } from '../io/csv-write';
import type { RunsStore } from '../store/store';

const HEAD = [
  'run_id',
  'run_date',
  'pipeline',
  'status',
  'started_at',
  'finished_at',
  'duration_ms',
  'rows_in',
  'rows_out',
  'rows_rejected',
  'rows_removed',
  'attempts',
  'outputs',
  'error',
];

const ms = (from: string, to: string | null): number | null =>
  to ? Date.parse(to) - Date.parse(from) : null;

/** The report of a run that is in the store (the caller checks that it is). */
export function runReport(
  store: Pick<RunsStore, 'getRun'>,
  runId: string,
  format: 'json' | 'csv',
  pipelines?: string[],
): { filename: string; content_type: string; content: string } {
  const { run, tasks: all } = store.getRun(runId)!;
  const tasks = pipelines ? all.filter((t) => pipelines.includes(t.pipeline)) : all;
  if (format === 'json') {
    const body = {
      run: {
        id: run.id,
        project: run.project,
        status: run.status,
        run_date: run.runDate,
        trigger: run.trigger,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        duration_ms: ms(run.startedAt, run.finishedAt),
        rows_in: run.rowsIn,
        rows_out: run.rowsOut,
        rows_rejected: run.rowsRejected,
      },
      pipelines: tasks.map((t) => ({
        pipeline: t.pipeline,
        status: t.status,
        started_at: t.startedAt,
        finished_at: t.finishedAt,
        duration_ms: ms(t.startedAt, t.finishedAt),
        error: t.error,
        report: t.report,
      })),
    };
    return {
      filename: `${runId}.json`,
      content_type: 'application/json',
      content: JSON.stringify(body, null, 2) + '\n',
    };
  }
  let content = csvRow(HEAD);
  for (const t of tasks)
    content += csvRow([
      run.id,
      run.runDate,
      t.pipeline,
      t.status,
      t.startedAt,
      t.finishedAt,
      ms(t.startedAt, t.finishedAt),
      t.report?.rowsIn,
      t.report?.rowsOut,
      t.report?.rowsRejected,
      t.report?.rowsRemoved,
      t.report?.attempts,
      t.report?.outputs.map((o) => `${o.kind}:${o.table ?? o.path} (${o.rows})`).join('; '),
      t.error,
    ]);
  return { filename: `${runId}.csv`, content_type: 'text/csv', content };
}
