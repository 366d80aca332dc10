/**
 * Streaming CSV reader. papaparse splits the fields; around it this module decodes bytes,
 * tracks physical line numbers, and turns every row it cannot read (wrong field count, broken
 * quotes, undecodable bytes) into a reject with its line and raw text, then carries on after it.
 */
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import Papa from 'papaparse';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { detach, type Batch } from '../engine/table';
import {
  detectEncoding,
  readBom,
  scanUtf8,
  type EncodingGuess,
  type TextEncoding,
} from './encoding';
import {
  compressionOf,
  readChunks,
  SourceChanged,
  type Compression,
  type SourceStamp,
} from './chunks';
import { SourceError } from './source-error';
import { createDecoder } from './decode';
import { detectNewline, sniffDelimiter, sniffHeader, type Delimiter } from './sniff';

export interface SourceInfo {
  path: string;
  encoding: TextEncoding;
  encodingReason: string;
  delimiter: Delimiter;
  newline: '\n' | '\r\n' | '\r';
  header: boolean;
  columns: string[];
  /** Size of the file itself (compressed, for gzip). */
  bytes: number;
  /** Set when the file is compressed (recognised by its first bytes, not its name). */
  compression: Compression | null;
  /** Invalid byte sequences found in the file; when 0, a U+FFFD in the text is real data. */
  invalidBytes: number;
}

export interface ReadReject {
  line: number;
  lineEnd: number;
  raw: string;
  rule: 'ragged_row' | 'broken_quotes' | 'undecodable_bytes';
  reason: string;
}

export interface ReadStats {
  rowsRead: number;
  rowsRejected: number;
  blankLines: number;
  bytesRead: number;
}

export { SourceError };

type Settings = Pick<SourceSettings, 'encoding' | 'delimiter' | 'header' | 'quote' | 'columns'>;

const SAMPLE_CHARS = 64 * 1024;
const BLOCK_CHARS = 1 << 20;
/** A quoted field longer than this is taken to be a broken quote, not data. */
const MAX_RECORD_CHARS = 4 << 20;

export interface CsvSource {
  info: SourceInfo;
  stats: ReadStats;
  /** Batches of rows as text columns; rejects go to `onReject` as they are found. */
  batches(onReject: (r: ReadReject) => void, batchSize?: number): AsyncGenerator<Batch>;
}

export async function openCsv(path: string, settings: Partial<Settings> = {}): Promise<CsvSource> {
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
  const decoder = createDecoder(enc.encoding);
  for await (const chunk of readChunks(path, { start: enc.bom, size: SAMPLE_CHARS })) {
    sample += decoder.decode(chunk, { stream: true });
    if (sample.length >= SAMPLE_CHARS) break;
  }
  if (sample.trim() === '') throw new SourceError('the file is empty', path);
  const newline = detectNewline(sample, quote);
  const delimiter = (
    settings.delimiter && settings.delimiter !== 'auto'
      ? settings.delimiter
      : sniffDelimiter(sample, newline, quote)
  ) as Delimiter;
  const sampleRows = Papa.parse<string[]>(
    sample.slice(0, Math.max(sample.lastIndexOf(newline), 0) || sample.length),
    {
      delimiter,
      newline: newline as '\n',
      quoteChar: quote,
      preview: 50,
      skipEmptyLines: true,
    },
  ).data;
  const header =
    settings.header === undefined || settings.header === 'auto'
      ? sniffHeader(sampleRows)
      : settings.header;
  const width = sampleRows[0]?.length ?? 0;
  let columns: string[];
  if (header) columns = uniqueNames(sampleRows[0] ?? []);
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
  };
  const stats: ReadStats = { rowsRead: 0, rowsRejected: 0, blankLines: 0, bytesRead: 0 };
  return {
    info,
    stats,
    batches: (onReject, batchSize = 2048) =>
      readBatches(info, stats, quote, enc.bom, stamp, onReject, batchSize),
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

async function resolveEncoding(path: string, wanted: string): Promise<EncodingGuess> {
  if (wanted === 'auto') return detectEncoding(path);
  const encoding: TextEncoding = wanted === 'latin1' ? 'windows-1252' : (wanted as TextEncoding);
  const found = await readBom(path);
  const bom = found && found.encoding === encoding ? found.bom : 0;
  const invalidBytes = encoding === 'utf-8' ? (await scanUtf8(path, bom)).invalid : 0;
  return { encoding, bom, reason: 'set in the recipe', invalidBytes };
}

function uniqueNames(row: string[]): string[] {
  const seen = new Map<string, number>();
  return row.map((raw, i) => {
    let name = raw.trim() || `column_${i + 1}`;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    if (n > 0) name = `${name}_${n + 1}`;
    return name;
  });
}

async function* readBatches(
  info: SourceInfo,
  stats: ReadStats,
  quote: string,
  bomBytes: number,
  stamp: SourceStamp,
  onReject: (r: ReadReject) => void,
  batchSize: number,
): AsyncGenerator<Batch> {
  const ncols = info.columns.length;
  const nl = info.newline;
  const lineChar = nl === '\r' ? '\r' : '\n';
  const fields = info.columns.map((name) => ({ name, type: 'string' as const }));
  const decoder = createDecoder(info.encoding);

  let cols: string[][] = [];
  let line = new Int32Array(batchSize);
  let lineEnd = new Int32Array(batchSize);
  let n = 0;
  const fresh = (): void => {
    cols = Array.from({ length: ncols }, () => new Array<string>(batchSize));
    line = new Int32Array(batchSize);
    lineEnd = new Int32Array(batchSize);
    n = 0;
  };
  fresh();
  const flush = (): Batch => {
    const columns = cols.map((c) => {
      if (n < batchSize) c.length = n;
      return { kind: 'text' as const, values: c as (string | null)[] };
    });
    const b: Batch = {
      fields,
      columns,
      length: n,
      line: line.subarray(0, n),
      lineEnd: lineEnd.subarray(0, n),
    };
    fresh();
    return b;
  };

  let buf = '';
  let lineNo = 1; // physical line where `buf` starts
  let headerPending = info.header;
  let eof = false;
  const reject = (r: ReadReject): void => {
    stats.rowsRejected++;
    onReject(r);
  };

  /** Parses as much of `buf` as holds complete rows; returns how many chars were consumed. */
  const parseRound = (): number => {
    const text = buf;
    let consumed = 0;
    let restartAt = -1;
    const badChar = info.invalidBytes !== 0 ? text.indexOf('\uFFFD') : -1;
    Papa.parse<string[]>(text, {
      delimiter: info.delimiter,
      newline: nl as '\n',
      quoteChar: quote,
      step: (res, parser) => {
        const rowStart = consumed;
        const rowEnd = res.meta.cursor;
        const endsWithBreak =
          rowEnd > rowStart && (text[rowEnd - 1] === '\n' || text[rowEnd - 1] === '\r');
        if (!eof && (rowEnd >= text.length || !endsWithBreak)) {
          // The row may continue in the next chunk, unless it is already absurdly long.
          if (rowEnd - rowStart < MAX_RECORD_CHARS || res.errors.length === 0) {
            parser.abort();
            return;
          }
        }
        const contentEnd = endsWithBreak
          ? rowEnd - (text.startsWith(nl, rowEnd - nl.length) ? nl.length : 1)
          : rowEnd;
        let breaks = 0;
        let p = text.indexOf(lineChar, rowStart);
        while (p !== -1 && p < contentEnd) {
          breaks++;
          p = text.indexOf(lineChar, p + 1);
        }
        const first = lineNo;
        const row = res.data;
        const quoteError = res.errors.some((e) => e.type === 'Quotes');
        if (quoteError) {
          // Reject the physical line where the broken row starts and resume after it.
          let lineStop = text.indexOf(lineChar, rowStart);
          if (lineStop === -1 || lineStop >= text.length) lineStop = text.length;
          const raw = detach(text.slice(rowStart, lineStop).replace(/\r$/, ''));
          stats.rowsRead++;
          reject({
            line: first,
            lineEnd: first,
            raw,
            rule: 'broken_quotes',
            reason: `broken quotes: ${res.errors[0].message.toLowerCase()}`,
          });
          lineNo += 1;
          consumed = Math.min(text.length, lineStop + 1);
          restartAt = consumed;
          parser.abort();
          return;
        }
        consumed = rowEnd;
        lineNo += breaks + (endsWithBreak ? 1 : 0);
        if (row.length === 1 && row[0] === '' && contentEnd === rowStart) {
          // An empty line; the empty "row" after the file's final line break is not one.
          if (rowStart < text.length) stats.blankLines++;
          return;
        }
        if (headerPending) {
          headerPending = false;
          return;
        }
        stats.rowsRead++;
        if (
          badChar !== -1 &&
          badChar < rowEnd &&
          text.slice(rowStart, contentEnd).includes('\uFFFD')
        ) {
          reject({
            line: first,
            lineEnd: first + breaks,
            raw: detach(text.slice(rowStart, contentEnd)),
            rule: 'undecodable_bytes',
            reason: `bytes that are not valid ${info.encoding}`,
          });
          return;
        }
        if (row.length !== ncols) {
          reject({
            line: first,
            lineEnd: first + breaks,
            raw: detach(text.slice(rowStart, contentEnd)),
            rule: 'ragged_row',
            reason: `expected ${ncols} fields, found ${row.length}`,
          });
          return;
        }
        for (let c = 0; c < ncols; c++) cols[c][n] = row[c];
        line[n] = first;
        lineEnd[n] = first + breaks;
        n++;
        if (n === batchSize) pending.push(flush());
      },
    });
    return restartAt >= 0 ? restartAt : consumed;
  };

  const pending: Batch[] = [];
  const chunks = readChunks(info.path, {
    start: bomBytes,
    stamp,
    onFileBytes: (b) => (stats.bytesRead = b),
  });
  for await (const chunk of withRowsRead(chunks, stats)) {
    buf += decoder.decode(chunk, { stream: true });
    while (buf.length >= BLOCK_CHARS) {
      const used = parseRound();
      if (used === 0) break;
      buf = buf.slice(used);
      while (pending.length) yield pending.shift()!;
    }
    while (pending.length) yield pending.shift()!;
  }
  buf += decoder.decode();
  eof = true;
  while (buf.length > 0) {
    const used = parseRound();
    buf = buf.slice(used);
    while (pending.length) yield pending.shift()!;
    if (used === 0) break;
  }
  if (n > 0) yield flush();
}

/** Says how many rows were read when the file turns out to have changed under the reader. */
async function* withRowsRead(
  chunks: AsyncGenerator<Buffer>,
  stats: ReadStats,
): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (e) {
    if (e instanceof SourceChanged)
      throw new SourceError(
        `the file changed while it was being read: ${e.what}. The ${stats.rowsRead.toLocaleString('en-US')} rows read so far are not the whole file; read it again once nothing is writing to it`,
        e.path,
      );
    throw e;
  }
}

/**
 * Raw text of rows, by line range, re-read from the file (used for rows rejected by steps, so
 * that the reader never has to keep raw text in memory).
 */
export async function readRawLines(
  info: SourceInfo,
  ranges: { line: number; lineEnd: number }[],
): Promise<Map<number, string>> {
  const wanted = new Map<number, number>();
  for (const r of ranges) wanted.set(r.line, Math.max(r.lineEnd, wanted.get(r.line) ?? 0));
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  const bom = (await readBom(info.path))?.bom ?? 0;
  let lineNo = 1;
  let open: { start: number; end: number; parts: string[] } | null = null;
  /** One physical line (without its break) is complete. */
  const take = (text: () => string): void => {
    if (open) {
      open.parts.push(text().replace(/\r$/, ''));
      if (lineNo >= open.end) {
        out.set(open.start, detach(open.parts.join(info.newline)));
        open = null;
      }
    } else if (wanted.has(lineNo)) {
      const end = wanted.get(lineNo)!;
      open = { start: lineNo, end, parts: [text().replace(/\r$/, '')] };
      if (end <= lineNo) {
        out.set(lineNo, detach(open.parts[0]));
        open = null;
      }
    }
  };
  const breakChar = info.newline === '\r' ? '\r' : '\n';
  if (info.encoding === 'utf-8' || info.encoding === 'windows-1252') {
    // Line breaks are single bytes here: find them in the bytes and decode only the lines
    // wanted, instead of decoding the whole file a second time.
    const breakByte = breakChar.charCodeAt(0);
    const decode = (bytes: Buffer): string => createDecoder(info.encoding).decode(bytes);
    let carry: Buffer[] = [];
    for await (const chunk of readChunks(info.path, { start: bom })) {
      let start = 0;
      let p = chunk.indexOf(breakByte);
      while (p !== -1) {
        const piece = chunk.subarray(start, p);
        const parts = carry;
        take(() => decode(parts.length ? Buffer.concat([...parts, piece]) : piece));
        carry = [];
        lineNo++;
        start = p + 1;
        p = chunk.indexOf(breakByte, start);
      }
      // The chunk's memory is reused by the next read: keep a copy of the unfinished line
      // only when it may be needed.
      if (open || wanted.has(lineNo)) carry.push(Buffer.from(chunk.subarray(start)));
      if (out.size === wanted.size) return out;
    }
    if (carry.length) take(() => decode(Buffer.concat(carry)));
    return out;
  }
  const decoder = createDecoder(info.encoding);
  let rest = '';
  for await (const chunk of readChunks(info.path, { start: bom })) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    let p = text.indexOf(breakChar);
    while (p !== -1) {
      const line = text.slice(start, p);
      take(() => line);
      lineNo++;
      start = p + 1;
      p = text.indexOf(breakChar, start);
    }
    rest = text.slice(start);
    if (out.size === wanted.size) return out;
  }
  rest += decoder.decode();
  if (rest) take(() => rest);
  return out;
}
