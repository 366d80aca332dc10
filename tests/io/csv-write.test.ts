import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvWriter, csvCell, removeStaleTemps } from '../../src-main/io/csv-write';
import { openCsv, type ReadReject } from '../../src-main/io/csv-read';
import { batchFromRows, numColumn, type Batch } from '../../src-main/engine/table';
import { planPipeline } from '../../src-main/engine/pipeline';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
let n = 0;

async function writeRows(header: string[], rows: (string | null)[][], opts = {}): Promise<string> {
  const w = new CsvWriter(join(dir, `w${n++}.csv`), opts);
  await w.open(header);
  await w.write(batchFromRows(header, rows));
  await w.commit();
  return w.path;
}

async function readBack(
  path: string,
  settings = {},
): Promise<{ rows: string[][]; rejects: ReadReject[]; columns: string[] }> {
  const src = await openCsv(path, { header: true, ...settings });
  const rows: string[][] = [];
  const rejects: ReadReject[] = [];
  for await (const b of src.batches((r) => rejects.push(r), 7)) {
    for (let i = 0; i < b.length; i++)
      rows.push(b.columns.map((c) => (c.kind === 'text' ? (c.values[i] ?? '') : '')));
  }
  return { rows, rejects, columns: src.info.columns };
}

describe('csv writing', () => {
  it('quotes per RFC 4180 and protects formulas in text only', async () => {
    expect(csvCell('a,b', ',', true)).toBe('"a,b"');
    expect(csvCell('say "hi"', ',', true)).toBe('"say ""hi"""');
    expect(csvCell('two\nlines', ',', true)).toBe('"two\nlines"');
    expect(csvCell('=SUM(A1)', ',', true)).toBe("'=SUM(A1)");
    expect(csvCell('@cmd', ',', true)).toBe("'@cmd");
    expect(csvCell('\tx', ',', true)).toBe("'\tx");
    expect(csvCell('-12.5', ',', true)).toBe('-12.5');
    expect(csvCell('=SUM(A1)', ',', false)).toBe('=SUM(A1)');
  });
  it('writes typed values as ISO dates and plain decimals; numbers are never prefixed', async () => {
    const b: Batch = batchFromRows(['d', 'n', 't'], [[null, null, '+1 555']]);
    const d = numColumn(1);
    d.values[0] = 18262;
    d.valid[0] = 1;
    const num = numColumn(1);
    num.values[0] = -1234.5;
    num.valid[0] = 1;
    b.columns[0] = d;
    b.columns[1] = num;
    b.fields = [
      { name: 'd', type: 'date' },
      { name: 'n', type: 'decimal' },
      { name: 't', type: 'string' },
    ];
    const w = new CsvWriter(join(dir, 'typed.csv'));
    await w.open(['d', 'n', 't']);
    await w.write(b);
    await w.commit();
    expect(readFileSync(w.path, 'utf8')).toBe("d,n,t\n2020-01-01,-1234.5,'+1 555\n");
  });
  it('leaves no file behind when aborted', async () => {
    const sub = tempDir();
    const w = new CsvWriter(join(sub, 'x.csv'));
    await w.open(['a']);
    await w.write(batchFromRows(['a'], [['1']]));
    await w.abort();
    expect(readdirSync(sub)).toEqual([]);
  });
  it('writers of one file started in the same millisecond each commit whole (unique temporary names)', () => {
    const sub = tempDir();
    const path = join(sub, 'same.csv');
    // Made back to back, in the same millisecond as often as not.
    for (let round = 0; round < 20; round++) {
      const writers = [new CsvWriter(path), new CsvWriter(path), new CsvWriter(path)];
      writers.forEach((w) => w.open(['a', 'round']));
      writers.forEach((w, i) =>
        w.write(batchFromRows(['a', 'round'], [[String(i), String(round)]])),
      );
      writers.forEach((w) => w.commit());
      expect(readFileSync(path, 'utf8')).toBe(`a,round\n2,${round}\n`);
    }
    expect(readdirSync(sub)).toEqual(['same.csv']);
  });
  it('removes temporary files of dead processes only', () => {
    const sub = tempDir();
    const dead = join(sub, '.x.csv.999999999.0b9c3e2a-1f5e-4a47-9a41-2b1a5c6f7d8e.tmp');
    const old = join(sub, '.x.csv.999999999.1700000000000.tmp');
    const mine = join(sub, `.x.csv.${process.pid}.0b9c3e2a-1f5e-4a47-9a41-2b1a5c6f7d8e.tmp`);
    for (const f of [dead, old, mine]) writeFileSync(f, 'a\n');
    expect(removeStaleTemps(sub).sort()).toEqual([old, dead].sort());
    expect(readdirSync(sub)).toEqual([basename(mine)]);
  });
});

const cell = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', ',', '"', '""', '\n', '\r\n', 'a,"b"\nc', 'ü€', '=1+1'),
);

describe('round trips (property)', () => {
  it('what is written reads back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }).chain((w) =>
          fc.tuple(
            fc.constant(w),
            fc.array(fc.array(cell, { minLength: w, maxLength: w }), {
              minLength: 1,
              maxLength: 30,
            }),
          ),
        ),
        async ([width, rows]) => {
          const header = Array.from({ length: width }, (_, i) => `c${i}`);
          // A row that is one empty cell is written as an empty line, which CSV cannot tell from no row.
          const kept = rows.filter((r) => !(width === 1 && r[0] === ''));
          const path = await writeRows(header, kept, { formulaProtection: false });
          const back = await readBack(path, { delimiter: ',', encoding: 'utf-8' });
          expect(back.rejects).toEqual([]);
          expect(back.columns).toEqual(header);
          expect(back.rows).toEqual(kept);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary bytes: every row read is output or rejected, with no row lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        fc.constantFrom(',', '"', '\n', '\r', 'a', '\xff'),
        async (bytes, extra) => {
          const p = join(dir, `bytes${n++}.csv`);
          writeFileSync(
            p,
            Buffer.concat([Buffer.from('a,b\n'), Buffer.from(bytes), Buffer.from(extra, 'latin1')]),
          );
          const src = await openCsv(p, { header: true });
          const out: Batch[] = [];
          const planned = planPipeline(
            [{ step: 'trim', columns: 'all', collapse_spaces: false }],
            src.info.columns.map((name) => ({ name, type: 'string' })),
            { onOutput: (b) => out.push(b) },
          );
          let readerRejects = 0;
          for await (const b of src.batches(() => readerRejects++, 5)) planned.push(b);
          planned.finish();
          const written = out.reduce((s, b) => s + b.length, 0);
          expect(src.stats.rowsRead).toBe(written + readerRejects);
          expect(src.stats.rowsRejected).toBe(readerRejects);
        },
      ),
      { numRuns: 200 },
    );
  });
});
