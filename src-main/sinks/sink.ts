/** Where a pipeline's rows go. Every sink writes all or nothing: commit, or abort. */
import type { OutputReport } from '../../src-shared/recipe/result';
import type { Batch, Field } from '../engine/table';

export interface Sink {
  open(fields: Field[]): void;
  write(batch: Batch): void;
  /** Makes the rows visible, complete; returns what was loaded. */
  commit(): OutputReport;
  /** Leaves the target as it was before the load. */
  abort(): void;
}

/** A row the target refused, reported to the run's rejects. */
export type RejectRow = (batch: Batch, row: number, rule: string, reason: string) => void;

export class SinkError extends Error {}
