/** Where a pipeline's rows go. Every sink writes all or nothing: commit, or abort. */
import type { OutputReport } from '../../src-shared/recipe/result';
import type { Batch, Field } from '../engine/table';

export interface Sink {
  open(fields: Field[]): void | Promise<void>;
  /** Takes a batch; a sink may buffer it and hand it on in flush. */
  write(batch: Batch): void;
  /** Rows already encoded in the sink's format (a CSV output fed by a server's COPY). */
  writeEncoded?(lines: Buffer, rows: number): void;
  /**
   * True (after open) when the sink writes from the server's own output table (engine:
   * postgres, pg-inserver.ts): it takes no batches.
   */
  readonly inServer?: boolean;
  /** Waits until what was written has been handed on (backpressure). */
  flush?(): Promise<void>;
  /** Makes the rows visible, complete; returns what was loaded. */
  commit(): OutputReport | Promise<OutputReport>;
  /** Leaves the target as it was before the load. */
  abort(): void | Promise<void>;
}

/** A row the target refused, reported to the run's rejects. */
export type RejectRow = (batch: Batch, row: number, rule: string, reason: string) => void;

/** A refused row known only as a record (found by the database after the rows left the batch). */
export type RejectRecordFn = (
  row: { line: number; record: Record<string, unknown> },
  rule: string,
  reason: string,
) => void;

export class SinkError extends Error {}
