/** What a run reports: the shape of `sluice run --json` and of run summaries in the store. */
import type { PipelineOutcome, RunOutcome } from '../vocabulary';

export interface StepReport {
  name: string;
  kind: string;
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  rowsRemoved: number;
  removedReasons: Record<string, number>;
  /**
   * Rows folded into other rows (aggregate, pivot) and rows a step created (join fan-out and
   * unmatched right rows, union, unpivot). The books: in + added = out + rejected + removed + merged.
   */
  rowsMerged: number;
  rowsAdded: number;
  cellsChanged: number;
  /** Step-specific figures, e.g. a join's matched and unmatched counts. */
  notes?: Record<string, unknown>;
  warnings: string[];
  ms: number;
}

/** What one output received: rows = loaded + rejected by the database. */
export interface OutputReport {
  kind: string;
  path: string;
  rows: number;
  table?: string;
  inserted?: number;
  updated?: number;
  unchanged?: number;
  rejected?: number;
  /** Rows older than the watermark of the last load (incremental by watermark). */
  skipped?: number;
  /** Bulk loads: the chunks the rows travelled in, and the most rows in one. */
  batches?: number;
  batchRows?: number;
  /**
   * Milliseconds spent writing this output: formatting and handing on each batch, waiting for
   * the file or database to take them, and committing.
   */
  ms?: number;
}

export interface PipelineReport {
  name: string;
  /** upstream_failed: not run because a pipeline it depends on failed. */
  status: PipelineOutcome;
  error?: { code: string; message: string; step?: string };
  startedAt: string;
  finishedAt: string;
  source: { path: string; encoding: string; delimiter: string; header: boolean; rowsRead: number };
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  rowsRemoved: number;
  rowsMerged: number;
  rowsAdded: number;
  /**
   * Rows read that were neither written nor rejected, removed or merged because the pipeline
   * stopped (failed or cancelled): held by a step, or rolled back with the outputs. Absent (0)
   * for a pipeline that succeeded. The books: in + added = out + rejected + removed + merged +
   * not written.
   */
  rowsNotWritten?: number;
  outputs: OutputReport[];
  /** Each step's own time is its `ms`: not the steps after it, nor the outputs. */
  steps: StepReport[];
  /** Milliseconds spent reading the source: reading, decoding and parsing it into batches. */
  readMs?: number;
  /** Attempts made (1 unless retried). */
  attempts?: number;
  /** The thread id of the worker thread that ran the pipeline (the last attempt). */
  worker?: number;
  /** Not run again: this is the result of the same pipeline in the run being resumed. */
  reusedFrom?: string;
  /** Its status was set by hand (from the status it had, with the note given). */
  markedByHand?: { from: string; note: string };
}

export interface RunReport {
  runId: string;
  project: string;
  status: RunOutcome;
  startedAt: string;
  finishedAt: string;
  recipeHash: string;
  store: string;
  /** Worker threads the run used. */
  workers?: number;
  /** The logical date the run is for (YYYY-MM-DD): `{{ run_date }}` in recipes. */
  runDate?: string;
  /** What started the run: manual, schedule, backfill, watch or resume. */
  trigger?: string;
  /** The run this one resumed. */
  resumedFrom?: string;
  pipelines: PipelineReport[];
}

/** One part of a pipeline's time: reading, a step, or writing an output. */
export interface Phase {
  /** `read`, the step's name, or `write <path>` / `load <table>` for an output. */
  name: string;
  kind: 'read' | 'step' | 'write';
  ms: number;
}

/**
 * Where a pipeline's time went, in order: reading its source, each step, writing each output
 * (the parts a report of a run before these were timed lacks are left out).
 */
export function phasesOf(p: PipelineReport): Phase[] {
  return [
    ...(p.readMs === undefined ? [] : [{ name: 'read', kind: 'read' as const, ms: p.readMs }]),
    ...p.steps.map((s) => ({ name: s.name, kind: 'step' as const, ms: s.ms })),
    ...p.outputs.flatMap((o) =>
      o.ms === undefined
        ? []
        : [
            {
              name: o.table ? `load ${o.table}` : `write ${o.path}`,
              kind: 'write' as const,
              ms: o.ms,
            },
          ],
    ),
  ];
}
