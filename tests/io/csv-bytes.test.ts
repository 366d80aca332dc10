/**
 * The byte reader (csv-bytes.ts) against the text reader it hands over to: on tricky CSV
 * (quotes, doubled quotes, CRLF and lone CR, BOMs, multibyte UTF-8 cut across chunk edges,
 * windows-1252, ragged and broken rows, bad bytes), read in random chunk and block sizes, both
 * give the same rows, line numbers, rejects and counts.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCsv, type ReadReject } from '../../src-main/io/csv-read';
import { readRawBatches } from '../../src-main/io/csv-batches';
import { ByteScanner } from '../../src-main/io/csv-bytes';
import { CsvScanner } from '../../src-main/io/csv-scan';
import { fuzz } from '../helpers/fuzz';
import { planPipeline } from '../../src-main/engine/pipeline';
import { Step } from '../../src-shared/recipe/steps';
import type { Batch } from '../../src-main/engine/table';

/** The rows and books of `steps` over one batch. */
function runBatch(steps: unknown[], batch: Batch) {
  const out: (string | null)[][] = [];
  const p = planPipeline(
    steps.map((s) => Step.parse(s)),
    batch.fields,
    {
      onOutput: (b) => {
        for (let i = 0; i < b.length; i++)
          out.push(b.columns.map((c) => (c.kind === 'text' ? c.values[i] : String(c.values[i]))));
      },
    },
  );
  p.push(batch);
  p.finish();
  return { out, reports: p.reports().map(({ ms: _ms, ...r }) => r) };
}
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
let n = 0;

async function readAll(path: string, settings: object, limits: object) {
  const src = await openCsv(path, settings, limits);
  const rows: string[][] = [];
  const lines: [number, number][] = [];
  const rejects: ReadReject[] = [];
  for await (const b of src.batches((r) => rejects.push(r), 5))
    for (let i = 0; i < b.length; i++) {
      rows.push(b.columns.map((c) => (c.kind === 'text' ? (c.values[i] ?? '') : '')));
      lines.push([b.line[i], b.lineEnd[i]]);
    }
  return { rows, lines, rejects, stats: src.stats, info: src.info };
}

const token = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(',', ',', ';', '"', '""', ' ', '\t') },
  { weight: 3, arbitrary: fc.constantFrom('\n', '\n', '\r\n', '\r') },
  {
    weight: 4,
    arbitrary: fc.constantFrom('a', 'id', '12', '3.5', 'é', '€', '😀', 'Ÿ', '日本', '\uFFFD'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'grapheme' }) },
);

/** Rows of mostly 1-4 fields (plain, quoted, escaped, long, spaced), a ragged or blank one now and then. */
const field = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', '12', ' x', 'y ', '', 'é', 'N/A') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '"a,b"',
      '"q ""x"" q"',
      '"1;2"',
      '"l\nl"',
      '"c\r\nr"',
      '"s" ',
      '"t"\t',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('z'.repeat(300), `"${'w'.repeat(260)}"`, '"open', 'x"y'),
  },
);
/** Such rows with `width` fields joined by `delim`. */
const table = (width: number, delim: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.integer({ min: -1, max: 1 }), fc.array(field, { maxLength: 5 })), {
        maxLength: 12,
      }),
      fc.constantFrom('\n', '\r\n', '\r'),
    )
    .map(([rows, nl]) =>
      rows
        .map(([odd, fields]) => {
          const n = odd === 0 || fields.length === 0 ? width : Math.max(0, width + odd);
          const at = (i: number) => fields[i % Math.max(1, fields.length)] ?? 'v';
          return Array.from({ length: n }, (_, i) => at(i)).join(delim);
        })
        .join(nl),
    );

function encode(text: string, how: string): Buffer {
  if (how === 'utf-8-bom')
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  if (how === 'windows-1252')
    return Buffer.from(
      [...text].map((ch) => (ch.charCodeAt(0) < 256 && ch.length === 1 ? ch : '?')).join(''),
      'latin1',
    );
  if (how === 'bad-bytes') return Buffer.concat([Buffer.from(text), Buffer.from([0xff, 0x0a])]);
  return Buffer.from(text);
}

describe('byte reader', () => {
  it('reads as the text reader does, in any chunk and block sizes', async () => {
    await fuzz(
      'byte reader vs text reader',
      fc.asyncProperty(
        fc.array(token, { maxLength: 120 }).map((ts) => ts.join('')),
        fc.constantFrom('utf-8', 'utf-8-bom', 'windows-1252', 'bad-bytes'),
        fc.record({
          header: fc.constantFrom('auto', true, false),
          delimiter: fc.constantFrom('auto', ',', ';'),
        }),
        fc.record({
          chunkBytes: fc.constantFrom(1, 2, 3, 7, 64, 1 << 20),
          blockChars: fc.constantFrom(1, 5, 32, 1 << 20),
        }),
        async (text, how, settings, limits) => {
          const path = join(dir, `b${n++}.csv`);
          writeFileSync(path, encode(text, how));
          let viaText;
          try {
            viaText = await readAll(path, settings, { ...limits, bytes: false });
          } catch {
            // An empty file: both refuse it (openCsv throws before reading).
            await expect(readAll(path, settings, limits)).rejects.toThrow();
            return;
          }
          const viaBytes = await readAll(path, settings, limits);
          expect(viaBytes.rows).toEqual(viaText.rows);
          expect(viaBytes.lines).toEqual(viaText.lines);
          expect(viaBytes.rejects).toEqual(viaText.rejects);
          expect(viaBytes.stats).toEqual(viaText.stats);
        },
      ),
      300,
      20_000,
    );
  }, 60_000);

  it('finds the same fields in bytes as the text scanner in text', async () => {
    await fuzz(
      'ByteScanner vs CsvScanner',
      fc.property(
        fc.array(token, { maxLength: 60 }).map((ts) => ts.join('')),
        fc.boolean(),
        // A tab delimiter: tabs after a closing quote are then not skipped as spaces.
        fc.constantFrom(',', ';', '\t'),
        (text, eof, delim) => {
          const bytes = Buffer.from(text);
          // Room for every field of any record here.
          const b = new ByteScanner(bytes, bytes.length, eof, delim.charCodeAt(0), 34, 200);
          const t = new CsvScanner(text, eof, delim, '"');
          for (;;) {
            const sb = b.next();
            const st = t.next();
            // What the text scanner finds broken, or may yet find broken once its line is
            // complete, the byte scanner leaves to it.
            if (sb === 'other' || st === 'broken') {
              expect(sb).toBe('other');
              expect(['broken', 'incomplete']).toContain(st);
              return;
            }
            expect(sb).toBe(st);
            if (st !== 'row') return;
            const cut = (s: number, e: number) => bytes.subarray(s, e).toString();
            expect(cut(b.start, b.contentEnd)).toBe(text.slice(t.start, t.contentEnd));
            expect(cut(b.contentEnd, b.end)).toBe(text.slice(t.contentEnd, t.end));
            expect(b.breaks).toBe(t.breaks);
            const fields = [];
            for (let f = 0; f < b.count; f++) {
              const e = b.cellEnd[f];
              const v = cut(b.cellStart[f], e < 0 ? ~e : e);
              fields.push(e < 0 ? v.replaceAll('""', '"') : v);
            }
            expect(fields).toEqual(t.fields);
          }
        },
      ),
      2000,
    );
  });

  it('takes plain rows at once as it takes them one at a time', async () => {
    let taken = 0;
    await fuzz(
      'plainRows vs next',
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(',', ';', '\t'))
          .chain(([width, delim]) =>
            fc.tuple(
              fc.oneof(
                fc.array(token, { maxLength: 80 }).map((ts) => ts.join('')),
                table(width, delim),
              ),
              fc.constant(delim),
              fc.constant(width),
            ),
          ),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(3, 8, 1000),
        ([text, delim, width], eof, atOnce, maxRecord) => {
          const bytes = Buffer.from(text);
          const d = delim.charCodeAt(0);
          /** Each row as [start, content end or -1, breaks, its cells], and how it stopped. */
          const rows = (fast: boolean): unknown[] => {
            const s = new ByteScanner(bytes, bytes.length, eof, d, 34, width, fast ? atOnce : 0);
            s.cellStart = new Int32Array(64 * width);
            s.cellEnd = new Int32Array(64 * width);
            s.cellPlain = new Uint8Array(64 * width);
            const out: unknown[] = [];
            const cells = (k: number) =>
              Array.from({ length: width }, (_, f) => [
                s.cellStart[k * width + f],
                s.cellEnd[k * width + f],
                s.cellPlain[k * width + f],
              ]);
            // Offsets from the start of the bytes, each row's cells from index 0.
            s.base = 0;
            for (let guard = 0; guard < 200; guard++) {
              s.at = 0;
              const n = fast ? s.plainRows(atOnce, maxRecord) : 0;
              if (n > 0) {
                for (let r = 0; r < n; r++)
                  out.push([s.rowInfo[2 * r], s.rowInfo[2 * r + 1], cells(r)]);
                taken += n;
                continue;
              }
              const at = s.pos;
              const status = s.next();
              if (status !== 'row') return [...out, status, s.pos];
              const plain =
                s.count === width &&
                !(s.count === 1 && s.contentEnd === s.start) &&
                s.contentEnd - s.start <= maxRecord;
              out.push(plain ? [at, s.breaks, cells(0)] : ['odd', at, s.count, s.breaks]);
            }
            throw new Error('no end');
          };
          // Only rows that are plain are taken at once, and each as next takes it.
          expect(rows(true)).toEqual(rows(false));
        },
      ),
      2000,
    );
    expect(taken).toBeGreaterThan(1000);
  });

  it('knows which cells trim and nullify can pass by, and they pass them by correctly', async () => {
    await fuzz(
      'plain lengths',
      fc.asyncProperty(
        // Rows of three cells, mostly: plain, spaced, token-like, quoted, non-ASCII.
        fc
          .array(
            fc.array(
              fc.oneof(
                fc.constantFrom('x', ' x', 'y ', '12', ' 12', 'N/A', ' N/A ', 'é', 'é ', '', ' '),
                fc.constantFrom('"a,b"', '" q "', '"12"', 'plain', '\t1\t', '€'),
                fc.string({ maxLength: 4 }),
              ),
              { minLength: 3, maxLength: 3 },
            ),
            { maxLength: 30 },
          )
          .map((rows) => rows.map((r) => r.join(',')).join('\n')),
        fc.constantFrom('utf-8', 'windows-1252'),
        async (text, how) => {
          const path = join(dir, `p${n++}.csv`);
          writeFileSync(path, encode(`a,b,c\n${text}`, how));
          const src = await openCsv(path, { delimiter: ',', header: true });
          const steps = [{ step: 'trim' }, { step: 'nullify', tokens: ['N/A', '12', 'é'] }];
          for await (const b of src.batches(() => {}, 7)) {
            for (const col of b.columns) {
              if (col.kind !== 'text' || !col.plain) continue;
              col.values.forEach((v, i) => {
                const len = col.plain![i];
                if (len === 0) return;
                expect(v).toMatch(/^[!-~]([^]*[!-~])?$/);
                expect(Math.min(255, v!.length)).toBe(len);
              });
            }
            const bare = {
              ...b,
              columns: b.columns.map((c) =>
                c.kind === 'text' ? { kind: 'text' as const, values: c.values } : c,
              ),
            };
            const withHint = runBatch(steps, b);
            const without = runBatch(steps, bare);
            expect(withHint).toEqual(without);
          }
        },
      ),
      200,
    );
  });

  it('hands rows over as bytes, decoded only when their cells are cut', async () => {
    const path = join(dir, 'plain.csv');
    writeFileSync(path, 'id,name\n1,"Zoë, ""the"" first"\r\n2,€5\n3,plain\n');
    const src = await openCsv(path);
    const raws = [];
    const { size, mtimeMs } = statSync(path);
    const gen = readRawBatches(src.info, src.stats, '"', 0, { size, mtimeMs }, {}, () => {}, 2);
    for await (const r of gen) raws.push(r);
    expect(raws.map((r) => [r.length, r.text, r.encoding])).toEqual([
      [2, null, 'utf-8'],
      [1, null, 'ascii'],
    ]);
    const { rows } = await readAll(path, {}, {});
    expect(rows).toEqual([
      ['1', 'Zoë, "the" first'],
      ['2', '€5'],
      ['3', 'plain'],
    ]);
  });

  it('cuts a batch of many kilobytes, decoded a few rows at a time, as the text reader does', async () => {
    // Batches of 2,048 rows of about 100 bytes: each is decoded in pieces, which may start at
    // a quoted cell, a multibyte character or an empty cell.
    const lines = ['id,name,note'];
    const names = ['Zoë', '"Ünal, ""the"" Ä"', '', '😀 smile', 'plain', '日本'];
    for (let i = 0; i < 5000; i++)
      lines.push(`${i % 7 === 0 ? '' : i},${names[i % names.length]},${'x€'.repeat(i % 40)}`);
    for (const [name, text] of [
      ['pieces-utf8.csv', lines.join('\n')],
      ['pieces-ascii.csv', lines.join('\n').replace(/[^ -~\n]/g, 'y')],
    ]) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const read = async (bytes: boolean) => {
        const src = await openCsv(path, {}, { bytes });
        const rows: (string | null)[][] = [];
        for await (const b of src.batches(() => {}, 2048))
          for (let i = 0; i < b.length; i++)
            rows.push(b.columns.map((c) => (c.kind === 'text' ? c.values[i] : null)));
        return rows;
      };
      const rows = await read(true);
      expect(rows).toHaveLength(5000);
      expect(rows).toEqual(await read(false));
    }
  });
});
