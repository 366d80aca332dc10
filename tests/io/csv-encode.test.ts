/**
 * The byte encoder of CSV output against the string functions it replaces (csvCell for text,
 * formatValue for typed values, joined per line): the same bytes for any values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../src-shared/recipe/steps';
import { csvCell } from '../../src-shared/csv';
import { CsvEncoder } from '../../src-main/io/csv-encode';
import { formatValue } from '../../src-main/engine/format';
import { numColumn, type Batch, type Column } from '../../src-main/engine/table';
import { fuzz } from '../helpers/fuzz';

type Cell = string | number | null;

/** What the writer wrote before the encoder: a string per cell, joined per line. */
function reference(types: ColumnType[], rows: Cell[][], d: string, protect: boolean, nl: string) {
  return rows
    .map((r) =>
      r
        .map((v, c) =>
          v === null
            ? ''
            : typeof v === 'string'
              ? csvCell(v, d, protect)
              : formatValue(types[c], v),
        )
        .join(d),
    )
    .map((line) => line + nl)
    .join('');
}

function batchOf(types: ColumnType[], rows: Cell[][]): Batch {
  const n = rows.length;
  const columns: Column[] = types.map((t, c) => {
    if (t === 'string') return { kind: 'text', values: rows.map((r) => r[c] as string | null) };
    const col = numColumn(n);
    rows.forEach((r, i) => {
      if (r[c] !== null) [col.values[i], col.valid[i]] = [r[c] as number, 1];
    });
    return col;
  });
  const line = Int32Array.from(rows, (_, i) => i + 2);
  return {
    fields: types.map((type, c) => ({ name: `c${c}`, type })),
    columns,
    length: n,
    line,
    lineEnd: line,
  };
}

function encode(batch: Batch, d: string, protect: boolean, nl: string, size?: number): string {
  const enc = new CsvEncoder(d, protect, nl, size);
  const parts: Buffer[] = [];
  // A small limit: the encoder stops and resumes between rows.
  for (let i = 0; i < batch.length;) {
    i = enc.rows(batch, i, 64);
    parts.push(Buffer.from(enc.buf.subarray(0, enc.length)));
    enc.clear();
  }
  return Buffer.concat(parts).toString('utf8');
}

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '=SUM(A1)',
    '-12.5',
    '+1 555',
    '@x',
    '\tx',
    'a,b',
    'say "hi"',
    'a;b',
    'é',
    '€',
    '',
  ),
);
const num = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 0.1 + 0.2, 1e15, 1e15 - 1, 2 ** 53, 1e21, 1e-7, 1.5e-7, 123.45, -99.99),
  fc.integer({ min: -10_000_000, max: 10_000_000 }).map((x) => x / 100),
);
const day = fc.oneof(
  fc.integer({ min: -800_000, max: 3_000_000 }),
  fc.constantFrom(-719528, -719529, 2932896, 2932897, 0, 16801),
);
const GEN: Record<ColumnType, fc.Arbitrary<Cell>> = {
  string: text,
  int: fc.integer(),
  float: num,
  decimal: num,
  date: day,
  datetime: fc.integer({ min: -1e13, max: 1e13 }),
  boolean: fc.constantFrom(0, 1),
};

describe('CsvEncoder', () => {
  it('writes the same bytes as csvCell and formatValue, for any values', async () => {
    const types = fc.array(fc.constantFrom(...(Object.keys(GEN) as ColumnType[])), {
      minLength: 1,
      maxLength: 6,
    });
    await fuzz(
      'CsvEncoder vs strings',
      fc.property(
        types.chain((ts) =>
          fc.tuple(
            fc.constant(ts),
            fc.array(fc.tuple(...ts.map((t) => fc.option(GEN[t], { freq: 5 }))), {
              maxLength: 40,
            }),
          ),
        ),
        fc.constantFrom(',', ';', '\t', '|', '::'),
        fc.boolean(),
        fc.constantFrom('\n', '\r\n'),
        ([ts, rows], d, protect, nl) => {
          const b = batchOf(ts, rows as Cell[][]);
          expect(encode(b, d, protect, nl, 16)).toBe(
            reference(ts, rows as Cell[][], d, protect, nl),
          );
        },
      ),
      400,
    );
  });

  it('keeps room for the rest of a row after a long text cell', () => {
    const types: ColumnType[] = ['string', ...Array<ColumnType>(30).fill('float')];
    const rows: Cell[][] = [0, 1, 2].map((r) => [
      'x'.repeat(50 * r),
      ...Array(30).fill(-1.2345e-7),
    ]);
    const b = batchOf(types, rows);
    expect(encode(b, ',', true, '\n', 16)).toBe(reference(types, rows, ',', true, '\n'));
  });

  it('spells decimals as JavaScript does, without exponents', () => {
    const b = batchOf(
      ['decimal'],
      [[2097.09], [0.05], [-0], [1e-7], [123456789012345.6], [0.30000000000000004], [1e21]],
    );
    expect(encode(b, ',', true, '\n')).toBe(
      '2097.09\n0.05\n0\n0.0000001\n123456789012345.6\n0.30000000000000004\n1000000000000000000000\n',
    );
  });
});
