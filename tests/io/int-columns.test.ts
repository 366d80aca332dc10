/**
 * The read-ahead reads the columns its steps cast to int straight from their bytes
 * (csv-raw.ts intColumn): only in a batch where every cell of the column is plain digits, read
 * as cast's plainInt reads them; any other batch is cut as text, cell by cell as before.
 */
import { describe, expect, it } from 'vitest';
import { cells, intColumn, type RawBatch } from '../../src-main/io/csv-raw';
import type { Field } from '../../src-main/engine/table';

/** A raw batch of ASCII bytes from rows of cells, as the byte reader makes it (no quotes). */
function rawOf(rows: string[][]): RawBatch {
  const width = rows[0].length;
  const text = rows.map((r) => r.join(',')).join('\n');
  const start = new Int32Array(rows.length * width);
  const end = new Int32Array(rows.length * width);
  const rowByte = new Int32Array(rows.length);
  let at = 0;
  rows.forEach((r, i) => {
    rowByte[i] = at;
    r.forEach((v, c) => {
      start[i * width + c] = at;
      end[i * width + c] = at + v.length;
      at += v.length + 1;
    });
  });
  return {
    text: null,
    bytes: Uint8Array.from(text, (ch) => ch.charCodeAt(0)),
    encoding: 'ascii',
    length: rows.length,
    width,
    start,
    end,
    rowByte,
    line: Int32Array.from(rows, (_, i) => i + 2),
    lineEnd: Int32Array.from(rows, (_, i) => i + 2),
  };
}

const fields = (n: number): Field[] =>
  Array.from({ length: n }, (_, c) => ({ name: `c${c}`, type: 'string' as const }));

describe('whole numbers from bytes', () => {
  it('reads a column of plain digits, and only such a column', () => {
    const ok = rawOf([
      ['0', 'x'],
      ['7', 'y'],
      ['123456789012345', 'z'],
    ]);
    const col = intColumn(ok, 0);
    expect(col && Array.from(col.values)).toEqual([0, 7, 123456789012345]);
    expect(col && Array.from(col.valid)).toEqual([1, 1, 1]);
    expect(intColumn(ok, 1)).toBeNull();
    // One cell of each kind that cast reads otherwise, or that trim or nullify would change.
    for (const odd of ['', ' 7', '7 ', '07', '-7', '+7', '1.5', '1e3', '1234567890123456'])
      expect(intColumn(rawOf([['1'], [odd], ['2']]), 0)).toBeNull();
    // Text (decoded elsewhere), or bytes that are not all ASCII: not read from bytes.
    expect(intColumn({ ...ok, encoding: 'utf-8' }, 0)).toBeNull();
    expect(intColumn({ ...ok, text: '0,x\n7,y\n123456789012345,z' }, 0)).toBeNull();
  });

  it('cuts the other columns, and a column of numbers that does not qualify, as text', () => {
    const raw = rawOf([
      ['1', ' a ', '5'],
      ['22', 'b', ''],
    ]);
    const b = cells(raw, fields(3), '"', [true, true, true]);
    expect(b.columns[0]).toEqual({
      kind: 'num',
      values: Float64Array.of(1, 22),
      valid: Uint8Array.of(1, 1),
    });
    expect(b.columns[1]).toMatchObject({ kind: 'text', values: [' a ', 'b'] });
    expect(b.columns[2]).toMatchObject({ kind: 'text', values: ['5', ''] });
    expect(cells(raw, fields(3), '"')).toEqual(cells(raw, fields(3), '"', [false, false, false]));
    expect(cells(raw, fields(3), '"').columns[0]).toMatchObject({
      kind: 'text',
      values: ['1', '22'],
    });
  });
});
