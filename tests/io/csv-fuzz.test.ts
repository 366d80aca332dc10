/**
 * Fuzzing the CSV reader (fast-check), with a fixed budget so it runs in CI: random bytes and
 * random CSV-ish text (quotes, delimiters, CRLF/LF/CR, BOMs, UTF-8, windows-1252, UTF-16LE/BE,
 * gzip), read with random settings and random small read sizes (so every chunk and block
 * boundary and the too-long-record path are crossed). Properties:
 * - the reader throws nothing but a SourceError;
 * - every line of the input is accounted for: the rows read and the lines rejected cover every
 *   line once, and what is left is blank lines (as many as counted) and the header;
 * - a rejected line's raw text is the text of its lines;
 * - reading in one piece gives what reading in small pieces gives;
 * - a table written by the CSV writer reads back equal.
 *
 * A failure prints fast-check's seed and path. Replay it with the same seed:
 *   FUZZ_SEED=<seed> npx vitest run tests/io/csv-fuzz.test.ts
 * (FUZZ_RUNS=<n> raises the number of runs for a longer local search.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCsv, SourceError, type ReadReject } from '../../src-main/io/csv-read';
import { CsvWriter } from '../../src-main/io/csv-write';
import { createDecoder } from '../../src-main/io/decode';
import { batchFromRows } from '../../src-main/engine/table';
import { tempDir } from '../helpers/tmp';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const runs = (n: number): number => (process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : n);
/** The default budget takes about 15 s with the 2 cores loaded 5x over; FUZZ_RUNS gets more time. */
const timeout = (n: number): number => Math.max(120_000, runs(n) * 300);
const dir = tempDir('sluice-fuzz-');
let n = 0;

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(',', ';', '\t', '|', '"', '""', ' ') },
  { weight: 3, arbitrary: fc.constantFrom('\n', '\r\n', '\r') },
  { weight: 2, arbitrary: fc.constantFrom('a', 'id', '12', '3.5', 'é', '€', 'Ÿ', '😀', '\0') },
  { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
);
const ENCODINGS = ['utf-8', 'utf-8-bom', 'windows-1252', 'utf-16le', 'utf-16le-bom', 'utf-16be'];

function encode(text: string, how: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  if (how === 'utf-8') return Buffer.from(text);
  if (how === 'utf-8-bom')
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  if (how === 'windows-1252') return Buffer.from(text, 'latin1');
  if (how === 'utf-16le') return le;
  if (how === 'utf-16le-bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  return Buffer.from(le).swap16();
}

const input = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc
    .tuple(fc.array(token, { maxLength: 80 }), fc.constantFrom(...ENCODINGS))
    .map(([ts, how]) => encode(ts.join(''), how)),
);
const settings = fc.record(
  {
    encoding: fc.constantFrom('auto', 'utf-8', 'windows-1252', 'utf-16le', 'utf-16be'),
    delimiter: fc.constantFrom('auto', ',', ';', '\t', '|'),
    header: fc.constantFrom('auto', true, false),
  },
  { requiredKeys: [] },
);
const limits = fc.record({
  chunkBytes: fc.constantFrom(1, 2, 3, 7, 64, 1 << 20),
  blockChars: fc.constantFrom(1, 5, 32, 1 << 20),
  maxRecordChars: fc.constantFrom(4, 16, 64, 64 << 20),
});

const BOMS: Record<string, number[]> = {
  'utf-8': [0xef, 0xbb, 0xbf],
  'utf-16le': [0xff, 0xfe],
  'utf-16be': [0xfe, 0xff],
};

/** The file's text as the reader decoded it, cut into lines and their line breaks. */
function linesOf(bytes: Buffer, encoding: string): { text: string[]; breaks: string[] } {
  const bom = BOMS[encoding] ?? [];
  const body = bom.every((b, i) => bytes[i] === b) ? bytes.subarray(bom.length) : bytes;
  const parts = createDecoder(encoding as 'utf-8')
    .decode(body)
    .split(/(\r\n|\n|\r)/);
  const text: string[] = [];
  const breaks: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    text.push(parts[i]);
    breaks.push(parts[i + 1] ?? '');
  }
  if (text.length > 1 && text[text.length - 1] === '') text.pop();
  return { text, breaks };
}

async function readAll(path: string, opts: object, lim: object) {
  const src = await openCsv(path, opts, lim);
  const rows: string[][] = [];
  const ranges: [number, number][] = [];
  const rejects: ReadReject[] = [];
  for await (const b of src.batches((r) => rejects.push(r), 3))
    for (let i = 0; i < b.length; i++) {
      rows.push(b.columns.map((c) => (c.kind === 'text' ? c.values[i] : null) as string));
      ranges.push([b.line[i], b.lineEnd[i]]);
    }
  for (const row of rows) expect(row.every((v) => typeof v === 'string')).toBe(true);
  return { src, rows, ranges, rejects };
}

describe('CSV reader fuzzing', () => {
  it(
    'throws only SourceErrors and accounts for every line',
    async () => {
      await fc.assert(
        fc.asyncProperty(input, fc.boolean(), settings, limits, async (raw, gzip, opts, lim) => {
          const path = join(dir, `in${n++}.csv`);
          writeFileSync(path, gzip ? gzipSync(raw) : raw);
          let read;
          try {
            read = await readAll(path, opts, lim);
          } catch (e) {
            if (e instanceof SourceError) return;
            throw e;
          }
          const { src, ranges, rejects } = read;
          const { stats, info } = src;
          // Reading in one piece gives the same rows and rejects as reading in small pieces
          // (a record over the limit is found by different means, so only under the default).
          if (lim.maxRecordChars === 64 << 20) {
            const whole = await readAll(path, opts, {});
            expect(whole.rows).toEqual(read.rows);
            expect(whole.ranges).toEqual(ranges);
            expect(whole.rejects).toEqual(rejects);
          }
          expect(stats.rowsRead).toBe(ranges.length + rejects.length);
          expect(stats.rowsRejected).toBe(rejects.length);
          const lines = linesOf(raw, info.encoding);
          const total = lines.text.length;
          // Every reject's raw text is the text of its lines (cut short only when too long).
          for (const r of rejects) {
            let want = lines.text[r.line - 1];
            for (let l = r.line; l < r.lineEnd; l++) want += lines.breaks[l - 1] + lines.text[l];
            if (r.raw.endsWith(' …')) expect(want.startsWith(r.raw.slice(0, -2))).toBe(true);
            else expect(r.raw).toBe(want);
          }
          // Rows and rejects cover lines once each, in order.
          const all = [...ranges, ...rejects.map((r): [number, number] => [r.line, r.lineEnd])];
          all.sort((a, b) => a[0] - b[0]);
          const covered = new Uint8Array(total + 2);
          for (const [a, z] of all) {
            expect(a).toBeGreaterThanOrEqual(1);
            expect(z).toBeGreaterThanOrEqual(a);
            expect(z).toBeLessThanOrEqual(total);
            for (let l = a; l <= z; l++) {
              expect(covered[l]).toBe(0);
              covered[l] = 1;
            }
          }
          // What is left: blank lines, and the header record (one run of lines, before any row).
          const left = [];
          for (let l = 1; l <= total; l++) if (!covered[l]) left.push(l);
          const named = left.filter((l) => lines.text[l - 1] !== '');
          let blanks = left.length;
          if (named.length) {
            expect(info.header).toBe(true);
            const [h1, h2] = [named[0], named[named.length - 1]];
            for (let l = h1; l <= h2; l++) expect(covered[l]).toBe(0);
            for (const [a] of ranges) expect(a).toBeGreaterThan(h2);
            blanks -= h2 - h1 + 1;
          }
          expect(stats.blankLines).toBe(blanks);
        }),
        { numRuns: runs(300), seed },
      );
    },
    timeout(300),
  );

  const cell = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.constantFrom(
      '',
      ' ',
      ',',
      ';',
      '\t',
      '|',
      '"',
      '""',
      '\n',
      '\r',
      '\r\n',
      ' "x" ',
      'ü€',
      '\uFFFD',
    ),
  );
  const name = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
    .filter((s) => s.trim() === s && s !== '');

  it(
    'reads back what the CSV writer wrote',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(name, { minLength: 1, maxLength: 6 }).chain((header) =>
            fc.tuple(
              fc.constant(header),
              fc.array(fc.array(cell, { minLength: header.length, maxLength: header.length }), {
                maxLength: 25,
              }),
            ),
          ),
          fc.constantFrom(',', ';', '\t', '|'),
          fc.constantFrom('\n', '\r\n'),
          // Files of a few KB: one-byte reads would only spend the budget on system calls.
          fc.record({
            chunkBytes: fc.constantFrom(3, 64, 1 << 20),
            blockChars: fc.constantFrom(5, 32, 1 << 20),
          }),
          async ([header, rows], delimiter, newline, lim) => {
            // A row that is one empty cell is written as an empty line, which CSV cannot tell from no row.
            const kept = rows.filter((r) => !(header.length === 1 && r[0] === ''));
            const w = new CsvWriter(join(dir, `rt${n++}.csv`), {
              delimiter,
              newline,
              formulaProtection: false,
            });
            w.open(header);
            w.write(batchFromRows(header, kept));
            w.commit();
            const src = await openCsv(w.path, { header: true, delimiter, encoding: 'utf-8' }, lim);
            const back: string[][] = [];
            const rejects: ReadReject[] = [];
            for await (const b of src.batches((r) => rejects.push(r), 4))
              for (let i = 0; i < b.length; i++)
                back.push(b.columns.map((c) => (c.kind === 'text' ? (c.values[i] ?? '') : '')));
            expect(rejects).toEqual([]);
            expect(src.info.columns).toEqual(header);
            expect(back).toEqual(kept);
          },
        ),
        { numRuns: runs(150), seed },
      );
    },
    timeout(150),
  );
});
