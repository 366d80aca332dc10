import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_ROWS,
  readInts,
  readSpill,
  readSpillRuns,
  SpillWriter,
  writeInts,
} from '../../src-main/io/row-spill';
import { tempDir } from '../helpers/tmp';

const row = (i: number): unknown[] => [
  i + 2,
  `name ${i} é€😀`,
  i % 3 ? i * 1.5 : null,
  i % 2 === 0,
];

describe('row spills', () => {
  it('reads back any run of rows written as column batches and as single rows', async () => {
    const file = join(tempDir(), 'side.jsonl');
    const w = new SpillWriter(file);
    const rows = Array.from({ length: 3 * CHUNK_ROWS + 17 }, (_, i) => row(i));
    // A batch bigger than a chunk, then single rows, then a small batch: chunks of every size.
    const cols = (rs: unknown[][]): unknown[][] => rs[0].map((_, c) => rs.map((r) => r[c]));
    w.addColumns(cols(rows.slice(0, CHUNK_ROWS + 40)));
    for (const r of rows.slice(CHUNK_ROWS + 40, 2 * CHUNK_ROWS + 100)) w.addRow(r);
    w.addColumns(cols(rows.slice(2 * CHUNK_ROWS + 100)));
    expect(w.rows).toBe(rows.length);
    w.finish();

    expect(await readSpill(file, 0, 5)).toEqual(rows.slice(0, 5));
    // Across chunk boundaries, and past the end.
    for (const at of [CHUNK_ROWS - 3, CHUNK_ROWS + 38, 2 * CHUNK_ROWS + 95, rows.length - 4])
      expect(await readSpill(file, at, 10)).toEqual(rows.slice(at, at + 10));
    expect(await readSpill(file, rows.length + 5, 10)).toEqual([]);
    expect(
      await readSpillRuns(file, [
        [3, 2],
        [700, 3],
      ]),
    ).toEqual([rows.slice(3, 5), rows.slice(700, 703)]);
  });

  it('an empty spill reads as no rows; an abandoned one has no index to read', async () => {
    const dir = tempDir();
    const empty = new SpillWriter(join(dir, 'empty.jsonl'));
    empty.finish();
    expect(await readSpill(join(dir, 'empty.jsonl'), 0, 10)).toEqual([]);
    const gone = new SpillWriter(join(dir, 'gone.jsonl'));
    gone.addRow([1, 'x']);
    gone.abandon();
    gone.abandon();
    expect(existsSync(join(dir, 'gone.jsonl.idx'))).toBe(false);
    await expect(readSpill(join(dir, 'gone.jsonl'), 0, 1)).rejects.toThrow(/ENOENT/);
  });

  it('keeps integer indexes', async () => {
    const file = join(tempDir(), 'match');
    writeInts(file, Int32Array.from([5, -1, 7, 9]));
    expect(Array.from(await readInts(file, 1, 2))).toEqual([-1, 7]);
    expect(Array.from(await readInts(file, 3, 10))).toEqual([9]);
  });
});
