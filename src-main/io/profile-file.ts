/** Profiles a CSV file over all its rows (on a worker of the pool, or on this thread). */
import { isAscii } from 'node:buffer';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import type { CodeStore } from '../engine/row-codes';
import { DISTINCT_CAP, Profiler, type TableProfile } from '../engine/profile';
import { detach, rawValue, type Batch } from '../engine/table';
import { readRawBatches } from './csv-batches';
import { cells, type RawBatch } from './csv-raw';
import type { SourceStamp } from './chunks';
import { openCsv, SourceError, type ReadReject, type SourceInfo } from './csv-read';
import type { ReadStats } from './csv-types';

export interface FileProfile extends TableProfile {
  source: Omit<SourceInfo, 'columns'>;
  rejects: ReadReject[];
  blankLines: number;
  /** The first rows as read (text), with their source lines, when asked for. */
  sample: { rows: (string | null)[][]; lines: number[] };
}

/** Whether a raw batch's cell offsets are byte offsets into ASCII bytes. */
function asciiBytes(raw: RawBatch): raw is RawBatch & { bytes: Uint8Array } {
  if (raw.text !== null || !raw.bytes) return false;
  // UTF-8 batches that are not all ASCII have their offsets in characters (csv-bytes.ts).
  return raw.encoding === 'ascii' || (raw.encoding === 'windows-1252' && isAscii(raw.bytes));
}

/**
 * How one thread of a profile split across two (orchestrator/profile-split.ts) takes part: the
 * columns it accumulates, and after each batch the exchange of standings with the other thread
 * (Profiler.standing / settle), which resolves with the other's standing after the same batch.
 */
export interface ProfileShare {
  own: (column: number) => boolean;
  /** Null when no spill can follow the batch (the others' standing is not needed). */
  exchange: (rows: number, standing: Float64Array) => Promise<Float64Array | null>;
  /** The batches, when another thread reads the file (the helper's); else this one reads it. */
  batches?: AsyncIterable<RawBatch>;
  /** Takes each batch this thread read once it is done with it (to hand it to the other). */
  pass?: (raw: RawBatch) => void;
}

/** Profiles every row; `sampleRows` keeps that many of the first rows as they were read. */
export async function profileFile(
  path: string,
  settings: Partial<SourceSettings> = {},
  sampleRows = 0,
): Promise<FileProfile> {
  const src = await openCsv(path, settings);
  if (!src.read) throw new SourceError('is not a file that can be profiled', path);
  const { info, stats } = src;
  const { quote, bomBytes, stamp } = src.read;
  const rejects: ReadReject[] = [];
  const sample: FileProfile['sample'] = { rows: [], lines: [] };
  const profiler = await profileRows(
    { info, stats, quote, bomBytes, stamp },
    sampleRows,
    (r) => rejects.push(r),
    sample,
  );
  return fileProfile(profiler.result(), src.info, stats, rejects, sample);
}

/** A profile with what reading the file found. */
export function fileProfile(
  profile: TableProfile,
  info: SourceInfo,
  stats: ReadStats,
  rejects: ReadReject[],
  sample: FileProfile['sample'],
): FileProfile {
  const { columns: _columns, ...source } = info;
  return { ...profile, source, rejects, blankLines: stats.blankLines, sample };
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
 * Reads every row into a Profiler (of the columns `share` names, settling with the other
 * thread after each batch, and reading the batches it gives when it gives them; its per-row
 * codes in `store`); keeps the first `sampleRows` rows into `sample` when given.
 */
export async function profileRows(
  src: ProfileSource,
  sampleRows: number,
  onReject: (r: ReadReject) => void,
  sample: FileProfile['sample'] | null,
  share?: ProfileShare,
  store?: CodeStore,
): Promise<Profiler> {
  const { info, stats, quote, bomBytes, stamp } = src;
  const fields = info.columns.map((name) => ({ name, type: 'string' as const }));
  const profiler = new Profiler(info.columns, src.distinctCap ?? DISTINCT_CAP, share?.own, store);
  const raws =
    share?.batches ?? readRawBatches(info, stats, quote, bomBytes, stamp, {}, onReject, 2048);
  const standing = new Float64Array(info.columns.length * 2);
  // Both threads take the same path for a batch, so both count sampled rows.
  let sampled = 0;
  for await (const raw of raws) {
    const wanted = sampled < sampleRows;
    if (!wanted && asciiBytes(raw)) profiler.addAscii(raw, quote);
    else {
      const batch = cells(raw, fields, quote);
      if (wanted) {
        sampled += Math.min(batch.length, sampleRows - sampled);
        if (sample) keepSample(batch, sample, sampleRows);
      }
      profiler.add(batch);
    }
    if (!share) continue;
    share.pass?.(raw);
    const theirs = await share.exchange(profiler.rows, profiler.standing(standing));
    if (theirs) profiler.settle(theirs);
  }
  return profiler;
}

function keepSample(batch: Batch, sample: FileProfile['sample'], sampleRows: number): void {
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
