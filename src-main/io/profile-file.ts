/** Profiles a CSV file over all its rows (on a worker of the pool, or on this thread). */
import { isAscii } from 'node:buffer';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { Profiler, type TableProfile } from '../engine/profile';
import { detach, rawValue, type Batch } from '../engine/table';
import { readRawBatches } from './csv-batches';
import { cells, type RawBatch } from './csv-raw';
import { openCsv, SourceError, type ReadReject, type SourceInfo } from './csv-read';

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
  const fields = info.columns.map((name) => ({ name, type: 'string' as const }));
  const profiler = new Profiler(info.columns);
  const rejects: ReadReject[] = [];
  const sample: FileProfile['sample'] = { rows: [], lines: [] };
  const raws = readRawBatches(
    info,
    stats,
    quote,
    bomBytes,
    stamp,
    {},
    (r) => rejects.push(r),
    2048,
  );
  for await (const raw of raws) {
    const wanted = sample.rows.length < sampleRows;
    if (!wanted && asciiBytes(raw)) {
      profiler.addAscii(raw, quote);
      continue;
    }
    const batch = cells(raw, fields, quote);
    if (wanted) keepSample(batch, sample, sampleRows);
    profiler.add(batch);
  }
  const { columns: _columns, ...source } = info;
  return { ...profiler.result(), source, rejects, blankLines: stats.blankLines, sample };
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
