/**
 * The streaming half of the CSV reader: decodes the file's bytes, scans records (csv-scan.ts),
 * tracks physical line numbers, and turns every record it cannot read into a reject with its
 * lines and raw text, then carries on after it.
 *
 * Long records. Text is scanned in blocks; a record that runs past the end of a block waits
 * for more text, and the block is scanned again only when it has doubled, so a long record
 * costs linear time. A record longer than `maxRecordChars` (64 Mi characters by default, which
 * holds any real cell; V8 strings stop at about 512 Mi) is not kept: the reader follows it
 * without storing it to where it really ends (past the line breaks inside its quotes), rejects
 * it as one row from its first to its last line (`record_too_long`, the raw text cut to its
 * start), and resumes on the next real row: never in the middle of a field.
 *
 * Broken quotes. A quoted field closed by something other than a delimiter or line break is
 * rejected from the record's first line through the line of the bad quote. A quote that never
 * closes before the end of the file: if the rest of the file is within the limit, the line
 * where it opened is rejected and reading resumes on the next line (the quote was stray, there
 * is no field to resync inside); if the rest of the file is longer than the limit, everything
 * from that line to the end is one reject (`broken_quotes`), since its text was not kept.
 */
import { detach, type Batch } from '../engine/table';
import { cells, type RawBatch } from './csv-raw';
import { readChunks, type SourceStamp } from './chunks';
import { byteReadable, readByteBatches, withRowsRead, type Resume } from './csv-bytes';
import { createDecoder } from './decode';
import { countBreaks, CsvScanner, RecordSkipper } from './csv-scan';
import type { ReadReject, ReadStats, SourceInfo } from './csv-types';

const BLOCK_CHARS = 1 << 20;
export const MAX_RECORD_CHARS = 64 << 20;
/** How much of a record too long to keep is kept as its raw text. */
const RAW_HEAD = 1000;

/** The start of a record of `chars` characters whose text begins with `head`, marked when cut. */
function cut(head: string, chars: number): string {
  return detach(head.slice(0, Math.min(RAW_HEAD, chars))) + (chars > RAW_HEAD ? ' …' : '');
}

/** How the reader sizes its work; the defaults are for real use, the others for tests. */
export interface ReadLimits {
  maxRecordChars?: number;
  /** Text gathered before a scan. */
  blockChars?: number;
  /** Bytes per file read. */
  chunkBytes?: number;
  /** false: read with the text reader only, never the byte reader (tests compare the two). */
  bytes?: boolean;
}

/** The rows of a file as text batches; rejects go to `onReject` as they are found. */
export async function* readBatches(
  info: SourceInfo,
  stats: ReadStats,
  quote: string,
  bomBytes: number,
  stamp: SourceStamp,
  limits: ReadLimits,
  onReject: (r: ReadReject) => void,
  batchSize: number,
): AsyncGenerator<Batch> {
  const fields = info.columns.map((name) => ({ name, type: 'string' as const }));
  const raws = readRawBatches(info, stats, quote, bomBytes, stamp, limits, onReject, batchSize);
  for await (const raw of raws) yield cells(raw, fields, quote);
}

/** The rows of a file as raw batches (csv-raw.ts): offsets into the text, no cell cut yet. */
export async function* readRawBatches(
  info: SourceInfo,
  stats: ReadStats,
  quote: string,
  bomBytes: number,
  stamp: SourceStamp,
  limits: ReadLimits,
  onReject: (r: ReadReject) => void,
  batchSize: number,
): AsyncGenerator<RawBatch> {
  const maxRecord = limits.maxRecordChars ?? MAX_RECORD_CHARS;
  let from: Resume = { offset: bomBytes, lineNo: 1, headerPending: info.header };
  if (limits.bytes !== false && byteReadable(info, quote)) {
    const block = limits.blockChars ?? BLOCK_CHARS;
    const rest = yield* readByteBatches({
      info,
      stats,
      quote,
      bomBytes,
      stamp,
      blockBytes: block,
      chunkBytes: limits.chunkBytes,
      maxRecordChars: maxRecord,
      batchSize,
      reject: (r) => {
        stats.rowsRead++;
        stats.rowsRejected++;
        onReject(r);
      },
      handOverBytes: Math.min(maxRecord, Math.max(4 * block, HAND_OVER_BYTES)),
    });
    if (rest === null) return;
    from = rest;
  }
  yield* readTextBatches(info, stats, quote, from, stamp, limits, onReject, batchSize);
}

/** Records longer than this are followed by the text reader rather than the byte reader. */
const HAND_OVER_BYTES = 8 << 20;

/** The text reader: decodes the file from `from` on and scans its text (csv-scan.ts). */
async function* readTextBatches(
  info: SourceInfo,
  stats: ReadStats,
  quote: string,
  from: Resume,
  stamp: SourceStamp,
  limits: ReadLimits,
  onReject: (r: ReadReject) => void,
  batchSize: number,
): AsyncGenerator<RawBatch> {
  const maxRecord = limits.maxRecordChars ?? MAX_RECORD_CHARS;
  const block = limits.blockChars ?? BLOCK_CHARS;
  const ncols = info.columns.length;
  const decoder = createDecoder(info.encoding);
  const fmt = (x: number): string => x.toLocaleString('en-US');

  let start = new Int32Array(batchSize * ncols);
  let end = new Int32Array(batchSize * ncols);
  let line = new Int32Array(batchSize);
  let lineEnd = new Int32Array(batchSize);
  let n = 0;
  const fresh = (): void => {
    start = new Int32Array(batchSize * ncols);
    end = new Int32Array(batchSize * ncols);
    line = new Int32Array(batchSize);
    lineEnd = new Int32Array(batchSize);
    n = 0;
  };
  /** The rows so far, as offsets into `text` (the text of the round that found them). */
  const flush = (text: string): RawBatch => {
    const full = n === batchSize;
    const b: RawBatch = {
      text,
      length: n,
      width: ncols,
      start: full ? start : start.slice(0, n * ncols),
      end: full ? end : end.slice(0, n * ncols),
      line: full ? line : line.slice(0, n),
      lineEnd: full ? lineEnd : lineEnd.slice(0, n),
    };
    fresh();
    return b;
  };
  const pending: RawBatch[] = [];

  let buf = '';
  let lineNo = from.lineNo; // physical line where `buf` starts
  let headerPending = from.headerPending;
  const reject = (r: ReadReject): void => {
    stats.rowsRead++;
    stats.rowsRejected++;
    onReject(r);
  };
  const tooLong = (first: number, last: number, head: string, chars: number): void => {
    headerPending = false;
    reject({
      line: first,
      lineEnd: last,
      raw: cut(head, chars),
      rule: 'record_too_long',
      reason: `a record longer than ${fmt(maxRecord)} characters (${fmt(chars)}, lines ${first}-${last}): not read; only its start is kept here`,
    });
  };

  /** Scans the complete records at the start of `buf`; returns how many chars they take. */
  const parseRound = (eof: boolean): number => {
    const text = buf;
    const s = new CsvScanner(text, eof, info.delimiter, quote);
    const badChar = info.invalidBytes !== 0 ? text.indexOf('\uFFFD') : -1;
    for (;;) {
      const status = s.next();
      if (status === null || status === 'incomplete') break;
      const first = lineNo;
      if (status === 'broken') {
        // From the record's first line through the line of the bad quote.
        const stop = s.lineAfter(s.problemAt);
        const breaks = countBreaks(text, s.start, stop.contentEnd);
        // The header is the first record that reads (as when it was sniffed), so it stays pending.
        reject({
          line: first,
          lineEnd: first + breaks,
          raw: detach(text.slice(s.start, stop.contentEnd)),
          rule: 'broken_quotes',
          reason: `broken quotes: ${s.problem}`,
        });
        lineNo += breaks + 1;
        s.pos = stop.end;
        continue;
      }
      const { contentEnd, breaks, count } = s;
      const from = s.start;
      lineNo += breaks + (s.end > contentEnd ? 1 : 0);
      if (count === 1 && contentEnd === from) {
        stats.blankLines++;
        continue;
      }
      if (contentEnd - from > maxRecord) {
        tooLong(first, first + breaks, text.slice(from, from + RAW_HEAD), contentEnd - from);
        continue;
      }
      if (headerPending) {
        headerPending = false;
        continue;
      }
      if (badChar !== -1 && badChar < s.end && text.slice(from, contentEnd).includes('\uFFFD')) {
        reject({
          line: first,
          lineEnd: first + breaks,
          raw: detach(text.slice(from, contentEnd)),
          rule: 'undecodable_bytes',
          reason: `bytes that are not valid ${info.encoding}`,
        });
        continue;
      }
      if (count !== ncols) {
        reject({
          line: first,
          lineEnd: first + breaks,
          raw: detach(text.slice(from, contentEnd)),
          rule: 'ragged_row',
          reason: `expected ${ncols} fields, found ${count}`,
        });
        continue;
      }
      stats.rowsRead++;
      const { fieldStart, fieldEnd, fieldEscaped } = s;
      for (let c = 0, k = n * ncols; c < ncols; c++, k++) {
        start[k] = fieldStart[c];
        end[k] = fieldEscaped[c] ? ~fieldEnd[c] : fieldEnd[c];
      }
      line[n] = first;
      lineEnd[n] = first + breaks;
      n++;
      if (n === batchSize) pending.push(flush(text));
    }
    // Offsets point into this round's text: the rows found so far go now.
    if (n > 0) pending.push(flush(text));
    return s.pos;
  };

  let waitFor = block;
  // A record too long to keep, being followed to its end.
  let skip: { skipper: RecordSkipper; first: number; head: string } | null = null;
  const skipInto = (text: string): string | null => {
    const sk = skip!;
    if (sk.head.length < RAW_HEAD) sk.head += text.slice(0, RAW_HEAD - sk.head.length);
    const at = sk.skipper.feed(text);
    if (at < 0) return null;
    skip = null;
    tooLong(sk.first, sk.first + sk.skipper.breaks, sk.head, sk.skipper.contentChars);
    lineNo = sk.first + sk.skipper.breaks + 1;
    waitFor = block;
    return text.slice(at);
  };

  const chunks = readChunks(info.path, {
    start: from.offset,
    size: limits.chunkBytes,
    stamp,
    onFileBytes: (b) => (stats.bytesRead = b),
  });
  for await (const chunk of withRowsRead(chunks, stats)) {
    let text = decoder.decode(chunk, { stream: true });
    if (skip) {
      const rest = skipInto(text);
      if (rest === null) continue;
      text = rest;
    }
    buf += text;
    if (buf.length < waitFor) continue;
    buf = buf.slice(parseRound(false));
    while (pending.length) yield pending.shift()!;
    if (buf.length > maxRecord) {
      skip = {
        skipper: new RecordSkipper(info.delimiter, quote),
        first: lineNo,
        head: '',
      };
      const whole = buf;
      buf = '';
      const rest = skipInto(whole);
      if (rest !== null) buf = rest;
    }
    // Scan again when there is a block of new text, or when a long record may have ended.
    else waitFor = Math.min(Math.max(block, buf.length * 2), maxRecord + 1);
  }
  let tail = decoder.decode();
  if (skip) {
    const rest = skipInto(tail);
    if (rest === null) {
      // The record runs to the end of the file.
      const { skipper, first, head } = skip!;
      skip = null;
      if (skipper.inQuotes) {
        const opened = first + skipper.quoteLine;
        const last = first + skipper.breaks - (skipper.endsWithBreak ? 1 : 0);
        headerPending = false;
        reject({
          line: first,
          lineEnd: last,
          raw: cut(head, skipper.contentChars),
          rule: 'broken_quotes',
          reason: `broken quotes: the quote opened on line ${opened} is never closed; lines ${first}-${last} (to the end of the file) are not read`,
        });
      } else tooLong(first, first + skipper.breaks, head, skipper.contentChars);
      tail = '';
    } else tail = rest;
  }
  buf += tail;
  while (buf.length > 0) {
    const used = parseRound(true);
    buf = buf.slice(used);
    while (pending.length) yield pending.shift()!;
    if (used === 0) break;
  }
}
