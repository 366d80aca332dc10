/**
 * Reads a CSV file's rows into a Profiler, on one thread or as one of the two of a split
 * profile (orchestrator/profile-split.ts). Apart from profile-file.ts, which opens the file,
 * so that the helper thread of a split profile, which opens nothing, loads none of the sniffing
 * (nor the schemas it pulls in).
 */
import { isAscii } from 'node:buffer';
import type { CodeStore } from '../engine/row-codes';
import { DISTINCT_CAP, Profiler } from '../engine/profile';
import { detach, rawValue, type Batch } from '../engine/table';
import { readRawBatches } from './csv-batches';
import { cells, type RawBatch } from './csv-raw';
import type { SourceStamp } from './chunks';
import type { ReadReject, ReadStats, SourceInfo } from './csv-types';

/** The first rows as read (text), with their source lines (FileProfile.sample). */
export interface ProfileSample {
  rows: (string | null)[][];
  lines: number[];
}

/** Whether a raw batch's cell offsets are byte offsets into ASCII bytes. */
function asciiBytes(raw: RawBatch): raw is RawBatch & { bytes: Uint8Array } {
  if (raw.text !== null || !raw.bytes) return false;
  // UTF-8 batches that are not all ASCII have their offsets in characters (csv-bytes.ts).
  return raw.encoding === 'ascii' || (raw.encoding === 'windows-1252' && isAscii(raw.bytes));
}

/**
 * How one thread of a profile split across two (orchestrator/profile-split.ts) takes part. Both
 * threads accumulate every column of the first `early` batches, timing each column; then they
 * share the columns out (`split`) and each carries on with its own, exchanging standings with
 * the other after every batch (Profiler.standing / settle).
 */
export interface ProfileShare {
  /** Batches both threads accumulate whole, at least 1. */
  early: number;
  /**
   * The columns this thread keeps after the early batches, and its exchange with the other.
   * `spent`: per column, the least milliseconds one early batch took; `batchBytes`: their
   * size (the main thread decides from them; the helper is told).
   */
  split: (spent: Float64Array, batchBytes: number) => Promise<SharedColumns>;
  /** Hears how many early batches this thread has taken (the helper's tells the main thread). */
  tookEarly?: (n: number) => void;
  /** The batches, when another thread reads the file (the helper's); else this one reads it. */
  batches?: AsyncIterable<RawBatch>;
  /** Takes each batch this thread read once it is done with it (to hand it to the other). */
  pass?: (raw: RawBatch) => void;
}

/** One thread's columns of a split profile, and how it meets the other after each batch. */
export interface SharedColumns {
  own: (column: number) => boolean;
  /** Resolves with the other's standing after the same batch; null when no spill can follow. */
  exchange: (rows: number, standing: Float64Array) => Promise<Float64Array | null>;
}

/** An opened file, as the reader takes it (openCsv's findings; the same on every thread). */
export interface ProfileSource {
  info: SourceInfo;
  stats: ReadStats;
  quote: string;
  bomBytes: number;
  stamp: SourceStamp;
  /** Distinct values kept exactly before columns spill (profile.ts; tests make it small). */
  distinctCap?: number;
}

/**
 * Reads every row into a Profiler (taking part in a split profile with `share`: see there; its
 * per-row codes in `store`); keeps the first `sampleRows` rows into `sample` when given.
 */
export async function profileRows(
  src: ProfileSource,
  sampleRows: number,
  onReject: (r: ReadReject) => void,
  sample: ProfileSample | null,
  share?: ProfileShare,
  store?: CodeStore,
): Promise<Profiler> {
  const { info, stats, quote, bomBytes, stamp } = src;
  const ncols = info.columns.length;
  const fields = info.columns.map((name) => ({ name, type: 'string' as const }));
  const profiler = new Profiler(info.columns, src.distinctCap ?? DISTINCT_CAP, undefined, store);
  const raws =
    share?.batches ?? readRawBatches(info, stats, quote, bomBytes, stamp, {}, onReject, 2048);
  const standing = new Float64Array(ncols * 2);
  // Early batches' times per column, the least (a batch the thread was descheduled in, or ran
  // before its code was optimised, says little), and their bytes.
  const least = new Float64Array(ncols).fill(Infinity);
  const spent = share ? new Float64Array(ncols) : undefined;
  let bytes = 0;
  let early = 0;
  let shared: SharedColumns | null = null;
  // Both threads take the same path for a batch, so both count sampled rows.
  let sampled = 0;
  for await (const raw of raws) {
    const timed = share && !shared ? spent : undefined;
    if (timed) {
      bytes += raw.bytes?.length ?? raw.text?.length ?? 0;
      timed.fill(0);
    }
    const wanted = sampled < sampleRows;
    if (!wanted && asciiBytes(raw)) profiler.addAscii(raw, quote, timed);
    else {
      const batch = cells(raw, fields, quote);
      if (wanted) {
        sampled += Math.min(batch.length, sampleRows - sampled);
        if (sample) keepSample(batch, sample, sampleRows);
      }
      profiler.add(batch, timed);
    }
    if (!share) continue;
    share.pass?.(raw);
    if (shared) {
      const theirs = await shared.exchange(profiler.rows, profiler.standing(standing));
      if (theirs) profiler.settle(theirs);
      continue;
    }
    for (let c = 0; c < ncols; c++) least[c] = Math.min(least[c], timed![c]);
    early++;
    share.tookEarly?.(early);
    if (early < share.early) continue;
    shared = await share.split(least, bytes / early);
    profiler.keepOnly(shared.own);
  }
  return profiler;
}

function keepSample(batch: Batch, sample: ProfileSample, sampleRows: number): void {
  for (let i = 0; i < batch.length && sample.rows.length < sampleRows; i++) {
    sample.rows.push(
      batch.columns.map((c) => {
        const v = rawValue(c, i);
        return v === null ? null : detach(String(v));
      }),
    );
    sample.lines.push(batch.line[i]);
  }
}
