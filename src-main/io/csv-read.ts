/**
 * Streaming CSV reader. Opening a source settles how to read it (compression, encoding,
 * delimiter, line breaks, header, column names) from its first bytes and text; the rows then
 * stream from csv-batches.ts, which turns every row it cannot read (wrong field count, broken
 * quotes, undecodable bytes, a record too long to keep) into a reject with its lines and raw
 * text, then carries on after it.
 */
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import type { Delimiter, EncodingSetting, TextEncoding } from '../../src-shared/vocabulary';
import type { Batch } from '../engine/table';
import { detectEncoding, readBom, scanUtf8, type EncodingGuess } from './encoding';
import { compressionOf, readChunks, type Compression, type SourceStamp } from './chunks';
import { SourceError } from './source-error';
import { createDecoder } from './decode';
import { readBatches, type ReadLimits } from './csv-batches';
import { scanRows } from './csv-scan';
import { detectNewline, sniffDelimiter, sniffHeader } from './sniff';

export { readRawLines } from './raw-lines';
export type { ReadLimits } from './csv-batches';

import type { ReadReject, ReadStats, SourceInfo } from './csv-types';
export type { ReadReject, ReadStats, SourceInfo };

export { SourceError };

type Settings = Pick<SourceSettings, 'encoding' | 'delimiter' | 'header' | 'quote' | 'columns'>;

const SAMPLE_CHARS = 64 * 1024;

export interface CsvSource {
  info: SourceInfo;
  stats: ReadStats;
  /**
   * How its rows are read, for a reader on another thread (csv-batches.ts readRawBatches); a
   * source that is not a file (a PostgreSQL table) has none.
   */
  read?: { quote: string; bomBytes: number; stamp: SourceStamp };
  /** Batches of rows as text columns; rejects go to `onReject` as they are found. */
  batches(onReject: (r: ReadReject) => void, batchSize?: number): AsyncGenerator<Batch>;
}

/** Opens a CSV file (plain or gzip) for reading; `limits` are for tests. */
export async function openCsv(
  path: string,
  settings: Partial<Settings> = {},
  limits: ReadLimits = {},
): Promise<CsvSource> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : `cannot open (${code ?? (e as Error).message})`;
    throw new SourceError(why, path);
  }
  if (st.isDirectory()) throw new SourceError('is a folder, not a CSV file', path);
  // Taken before anything is read: every later pass is checked against it.
  const stamp: SourceStamp = { size: st.size, mtimeMs: st.mtimeMs };
  const compression = await fileCompression(path);
  const quote = settings.quote ?? '"';
  const enc = await resolveEncoding(path, settings.encoding ?? 'auto');
  // Sniff on the first part of the text.
  let sample = '';
  let whole = true;
  const decoder = createDecoder(enc.encoding);
  for await (const chunk of readChunks(path, { start: enc.bom, size: SAMPLE_CHARS })) {
    sample += decoder.decode(chunk, { stream: true });
    if (sample.length >= SAMPLE_CHARS) {
      whole = false;
      break;
    }
  }
  if (whole) sample += decoder.decode();
  if (sample.trim() === '') throw new SourceError('the file is empty', path);
  const newline = detectNewline(sample, quote);
  const delimiter: Delimiter =
    settings.delimiter && settings.delimiter !== 'auto'
      ? settings.delimiter
      : sniffDelimiter(sample, quote, whole);
  const sampleRows = scanRows(sample, delimiter, quote, { eof: whole, limit: 50 });
  const header =
    settings.header === undefined || settings.header === 'auto'
      ? sniffHeader(sampleRows)
      : settings.header;
  const width = sampleRows[0]?.length ?? 0;
  let columns: string[];
  const warnings: string[] = [];
  if (header) columns = uniqueNames(sampleRows[0] ?? [], warnings);
  else if (settings.columns) columns = settings.columns;
  else columns = Array.from({ length: width }, (_, i) => `column_${i + 1}`);
  if (settings.columns && header && settings.columns.length !== columns.length)
    throw new SourceError(
      `the recipe names ${settings.columns.length} columns, the header has ${columns.length}`,
      path,
    );
  if (settings.columns) columns = settings.columns;

  const info: SourceInfo = {
    path,
    encoding: enc.encoding,
    encodingReason: enc.reason,
    delimiter,
    newline,
    header,
    columns,
    bytes: st.size,
    compression,
    invalidBytes: enc.invalidBytes,
    warnings,
  };
  const stats: ReadStats = { rowsRead: 0, rowsRejected: 0, blankLines: 0, bytesRead: 0 };
  return {
    info,
    stats,
    read: { quote, bomBytes: enc.bom, stamp },
    batches: (onReject, batchSize = 2048) =>
      readBatches(info, stats, quote, enc.bom, stamp, limits, onReject, batchSize),
  };
}

async function fileCompression(path: string): Promise<Compression | null> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return compressionOf(head.subarray(0, bytesRead), path);
  } finally {
    await fh.close();
  }
}

async function resolveEncoding(path: string, wanted: EncodingSetting): Promise<EncodingGuess> {
  if (wanted === 'auto') return detectEncoding(path);
  const encoding: TextEncoding = wanted === 'latin1' ? 'windows-1252' : wanted;
  const found = await readBom(path);
  const bom = found && found.encoding === encoding ? found.bom : 0;
  const invalidBytes = encoding === 'utf-8' ? (await scanUtf8(path, bom)).invalid : 0;
  return { encoding, bom, reason: 'set in the recipe', invalidBytes };
}

/**
 * Header names made unique and non-empty: a name keeps its first use, a repeat becomes
 * `name_2` (or the next number free), an empty one `column_<position>`; each change is a warning.
 */
function uniqueNames(row: string[], warnings: string[]): string[] {
  const names = row.map((raw) => raw.trim());
  const used = new Set<string>();
  const keeps = names.map((name) => name !== '' && !used.has(name) && (used.add(name), true));
  const changed: string[] = [];
  const out = names.map((name, i) => {
    if (keeps[i]) return name;
    const base = name || `column_${i + 1}`;
    let made = base;
    for (let k = 2; used.has(made); k++) made = `${base}_${k}`;
    used.add(made);
    changed.push(
      `column ${i + 1} (${name ? JSON.stringify(name) + ' again' : 'no name'}) is read as ${JSON.stringify(made)}`,
    );
    return made;
  });
  if (changed.length)
    warnings.push(`the header row repeats or leaves out names: ${changed.join('; ')}`);
  return out;
}
