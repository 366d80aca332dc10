/** A step's report as the API answers it: the whole-data counts of pipelines.preview. */
import type { StepCounts } from '../../src-shared/api/contract';
import type { StepReport } from '../../src-shared/recipe/result';

/** The counts of a step's report, in the contract's words (the name and kind are the step's). */
export function apiStepCounts(r: StepReport): StepCounts {
  return {
    rows_in: r.rowsIn,
    rows_out: r.rowsOut,
    rows_rejected: r.rowsRejected,
    rows_removed: r.rowsRemoved,
    removed_reasons: r.removedReasons,
    rows_merged: r.rowsMerged,
    rows_added: r.rowsAdded,
    cells_changed: r.cellsChanged,
    notes: r.notes ?? null,
    warnings: r.warnings,
    ms: r.ms,
  };
}
