/**
 * Per-row codes kept in a temporary file (the key search's): read back as written, chunk after
 * chunk, into arrays each column reuses from one chunk to the next rather than fresh ones (a
 * key search at ten million rows reads thousands of chunks).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK, RowCodes } from '../../src-main/engine/row-codes';
import { CodeFile } from '../../src-main/io/code-file';
import { tempDir } from '../helpers/tmp';

describe('codes in a file', () => {
  it('read back as written, through arrays reused from chunk to chunk', () => {
    const file = new CodeFile(join(tempDir(), 'codes'), true);
    try {
      const ids = new RowCodes(file);
      const spilled = new RowCodes(file);
      const rows = CHUNK * 3 + 5;
      for (let r = 0; r < rows; r++) {
        ids.pushId(r % 300);
        spilled.pushId(r % 7);
      }
      const hashes = Int32Array.from({ length: 7 }, (_, id) => id * 1000 + 1);
      spilled.spill(
        hashes,
        hashes.map((h) => -h),
      );
      const seen = new Set<ArrayBufferLike>();
      for (let i = 0; i < ids.chunks; i++) {
        const a = ids.chunk(i);
        const b = spilled.chunk(i);
        expect(a.rows).toBe(i < 3 ? CHUNK : 5);
        for (let r = 0; r < a.rows; r += 997) {
          const row = i * CHUNK + r;
          expect(a.lo[r]).toBe(row % 300);
          expect([b.lo[r], b.hi![r]]).toEqual([hashes[row % 7], -hashes[row % 7]]);
        }
        if (i < 3) seen.add((a.lo as Uint16Array).buffer).add((b.lo as Int32Array).buffer);
      }
      // One buffer per column for the sealed chunks read from the file, and one for the
      // spilled column's hashes.
      expect(seen.size).toBe(2);
    } finally {
      file.close();
    }
  });
});
