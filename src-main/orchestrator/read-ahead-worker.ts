/**
 * The read-ahead thread of a run (read-ahead.ts starts it): reads the source and runs the
 * first steps of the pipeline, the ones that rewrite cells row by row (trim, nullify, parse,
 * cast...), and hands every batch they emit to the run's thread, with what they rejected. So
 * reading, cutting cells and converting them take one core while the rest of the steps and the
 * outputs take the other. At most a few batches are in flight: the run's thread asks for more.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Step } from '../../src-shared/recipe/steps';
import type { StepReport } from '../../src-shared/recipe/result';
import { planPipeline, StepRunError, type RejectRecord } from '../engine/pipeline';
import { StepConfigError } from '../engine/step';
import type { Field } from '../engine/table';
import { readRawBatches } from '../io/csv-batches';
import { cells } from '../io/csv-raw';
import type { ReadReject, ReadStats, SourceInfo } from '../io/csv-types';
import type { SourceStamp } from '../io/chunks';
import { SourceError } from '../io/source-error';
import { packBatch, type WireBatch } from './batch-wire';
import { intColumns } from './read-ahead-ints';

/** What the read-ahead thread reads and runs. */
export interface ReadAheadJob {
  info: SourceInfo;
  quote: string;
  bomBytes: number;
  stamp: SourceStamp;
  batchSize: number;
  /** The steps it runs: the first ones of the pipeline, as the recipe has them. */
  steps: Step[];
  previous: Record<string, Record<string, unknown>>;
}

/**
 * Messages in flight before the read-ahead waits to be asked for more. The run's thread is the
 * less busy of the two, but not evenly so: dedupe's key table rebuilds itself as it grows (45 ms
 * at a million keys), and with 4 the read-ahead, the run's critical path, stood waiting through
 * it. 8 rides that out, for about 5 MB more at the peak.
 */
export const WINDOW = 8;

/** What a batch of the source became: the batches the steps emitted, the rows they rejected. */
export interface ReadAheadPart {
  outputs: WireBatch[];
  rows: RejectRecord[];
}

/** What a few batches of the source became, with the books as they stand after them. */
export interface ReadAheadBatch {
  type: 'batch';
  /** In order: the run's thread takes each part's rows, then its outputs, as one thread would. */
  parts: ReadAheadPart[];
  readRejects: ReadReject[];
  /** Where some of these rows start in the file (raw-lines.ts's LineMarks). */
  marks: number[];
  stats: ReadStats;
  reports: StepReport[];
}

/** Source batches per message: fewer, larger messages cost less. */
const PARTS = 4;

export type ReadAheadMessage =
  | ReadAheadBatch
  | { type: 'done' }
  | {
      type: 'error';
      error: { name: string; message: string; step?: string; path?: string };
    };

/** Runs the job, talking to the run's thread through `port`. */
export async function serveReadAhead(job: ReadAheadJob, port: MessagePort): Promise<void> {
  let credits = WINDOW;
  let wake: (() => void) | null = null;
  port.on('message', (m: { type: 'more' }) => {
    if (m.type === 'more') credits++;
    wake?.();
  });
  const fields: Field[] = job.info.columns.map((name) => ({ name, type: 'string' as const }));
  let parts: ReadAheadPart[] = [];
  let outputs: WireBatch[] = [];
  let transfer: ArrayBuffer[] = [];
  let rows: RejectRecord[] = [];
  let readRejects: ReadReject[] = [];
  let marks: number[] = [];
  const stats: ReadStats = { rowsRead: 0, rowsRejected: 0, blankLines: 0, bytesRead: 0 };
  let planned: ReturnType<typeof planPipeline> | null = null;
  /** Closes the part of the source batch just pushed. */
  const part = (): void => {
    parts.push({ outputs, rows });
    outputs = [];
    rows = [];
  };
  const send = (): void => {
    const m: ReadAheadBatch = {
      type: 'batch',
      parts,
      readRejects,
      marks,
      stats: { ...stats },
      reports: planned?.reports() ?? [],
    };
    port.postMessage(m, transfer);
    parts = [];
    transfer = [];
    readRejects = [];
    marks = [];
  };
  try {
    planned = planPipeline(
      job.steps,
      fields,
      {
        onOutput(b) {
          const p = packBatch(b);
          outputs.push(p.wire);
          transfer.push(...p.transfer);
        },
        onRow: (r) => rows.push(r),
      },
      {
        side: () => {
          throw new StepConfigError('a step of the read-ahead reads another table');
        },
        previous: job.previous,
      },
    );
    // Columns the steps only trim and nullify before casting them to int: read as numbers.
    const ints = intColumns(job.steps, job.info.columns);
    const raws = readRawBatches(
      job.info,
      stats,
      job.quote,
      job.bomBytes,
      job.stamp,
      {},
      (r) => readRejects.push(r),
      job.batchSize,
    );
    for await (const raw of raws) {
      if (raw.marks) for (const x of raw.marks) marks.push(x);
      planned.push(cells(raw, fields, job.quote, ints));
      part();
      if (parts.length < PARTS) continue;
      send();
      credits--;
      while (credits <= 0) await new Promise<void>((r) => (wake = r));
      wake = null;
    }
    planned.finish();
    part();
    send();
    port.postMessage({ type: 'done' } satisfies ReadAheadMessage);
  } catch (e) {
    const err = e as Error;
    port.postMessage({
      type: 'error',
      error: {
        name: err?.constructor?.name ?? 'Error',
        message: err?.message ?? String(e),
        ...(e instanceof StepRunError ? { step: e.step } : {}),
        ...(e instanceof SourceError ? { path: e.path } : {}),
      },
    } satisfies ReadAheadMessage);
  }
}
