/**
 * A profile taken on two threads (the main thread reading the file and handing each batch to
 * the helper, each accumulating half of the columns, meeting after every batch to settle
 * spills) is the profile one thread takes, byte for byte: counts, types, min/max, exact and estimated distinct counts, top values,
 * histograms, date formats, the sample, and the key, whose columns are split between the
 * threads (their codes read back from each thread's temporary file). Quoted line breaks fall on batch boundaries, where a reader that split the rows
 * differently on each thread would go wrong.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileFile } from '../../src-main/io/profile-file';
import { helperColumns } from '../../src-main/orchestrator/column-share';
import { profileFileSplit, type SplitOptions } from '../../src-main/orchestrator/profile-split';
import { SHARED, tempDir } from '../helpers/tmp';

const dir = tempDir();

/** A fixed-seed dirty file: a two-column key, quoted line breaks and quotes, many values. */
function dirtyFile(rows: number): string {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const lines = ['order,line,code,note,amount,day,cat,qty'];
  let order = 1000;
  let line = 1;
  for (let i = 0; i < rows; i++) {
    if (line > 1 && rnd(2) === 0) line = 1;
    if (line === 1) order += 1 + rnd(2);
    // Rows 2046-2049 (around the first batch boundary) and every 7th row span lines.
    const note =
      i % 7 === 0 || (i >= 2046 && i <= 2049)
        ? `"line one, ${rnd(500)}\nline ""two""\r\n${i % 3 === 0 ? '' : 'three'}"`
        : rnd(9) === 0
          ? ''
          : `plain ${rnd(1e6)}`;
    const amount = rnd(40) === 0 ? 'n/a' : `$${rnd(100000) / 100}`;
    const day = `${1 + rnd(12)}/${1 + rnd(28)}/20${10 + rnd(15)}`;
    const cat = ['red', 'green', ' blue', 'N/A', 'Red'][rnd(5)];
    lines.push(
      [order, line, `K${rnd(25_000).toString(36)}`, note, amount, day, cat, rnd(10)].join(','),
    );
    line++;
  }
  const path = join(dir, `dirty-${rows}.csv`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const json = (x: unknown): string => JSON.stringify(x, null, 2);

describe('a profile on two threads', () => {
  // More rows than a chunk of codes (65,536), so that the key search reads sealed chunks.
  const file = dirtyFile(80_000);

  it('is the one-thread profile, with columns spilling on both threads at the same rows', async () => {
    for (const distinctCap of [500_000, 3_000]) {
      const one = await profileFileSplit(file, {}, 0, { minBytes: Infinity, distinctCap });
      const two = await profileFileSplit(file, {}, 0, { minBytes: 0, distinctCap });
      expect(json(two)).toBe(json(one));
      expect(two.rows).toBe(80_000);
      expect(two.suggestedKey).toEqual(['order', 'line']);
      // Columns spilled wherever they were accumulated.
      const capped = two.columns.filter((c) => c.distinctCapped).map((c) => c.name);
      if (distinctCap === 3_000) expect(capped).toEqual(expect.arrayContaining(['code', 'note']));
    }
  }, 300_000);

  it('is the same whichever columns the helper takes, after however many batches', async () => {
    const one = json(
      await profileFileSplit(file, {}, 0, { minBytes: Infinity, distinctCap: 3_000 }),
    );
    const ways: SplitOptions[] = [
      { early: 1 },
      { early: 3, helperColumns: (spent) => Array.from(spent, () => true) },
      { early: 2, helperColumns: (spent) => Array.from(spent, () => false) },
      { early: 5, helperColumns: (spent) => Array.from(spent, (_, c) => c < 3) },
      // More than the file's 40 batches: the main thread takes every column itself.
      { early: 1000 },
    ];
    for (const way of ways) {
      // The columns are shared out once, after the early batches (not at all past the file's).
      let shares = 0;
      const share = way.helperColumns ?? helperColumns;
      const helper: typeof helperColumns = (...args) => (shares++, share(...args));
      const two = await profileFileSplit(file, {}, 0, {
        minBytes: 0,
        distinctCap: 3_000,
        ...way,
        helperColumns: helper,
      });
      expect(json(two)).toBe(one);
      expect(shares).toBe(way.early === 1000 ? 0 : 1);
    }
  }, 300_000);

  it('keeps the same sample and reads the sampled batches the same way', async () => {
    const one = await profileFile(file, {}, 3000);
    const two = await profileFileSplit(file, {}, 3000, { minBytes: 0 });
    expect(two.sample.rows).toHaveLength(3000);
    expect(json(two)).toBe(json(one));
  }, 300_000);

  it('stops the helper started while a file opens when the file has one column', async () => {
    const path = join(dir, 'one-column.csv');
    writeFileSync(path, 'id\n' + Array.from({ length: 5000 }, (_, i) => i).join('\n') + '\n');
    const one = await profileFile(path);
    const two = await profileFileSplit(path, {}, 0, { minBytes: 0 });
    expect(json(two)).toBe(json(one));
    await expect(profileFileSplit(join(dir, 'none.csv'), {}, 0, { minBytes: 0 })).rejects.toThrow(
      'file not found',
    );
  }, 300_000);

  it('gives the same profiles of the real data set', async () => {
    const files = readdirSync(SHARED).filter((f) => f.endsWith('.csv'));
    expect(files).toHaveLength(6);
    for (const f of files) {
      const one = await profileFile(join(SHARED, f));
      // Shared out after the first batch: most of these files have fewer than the default's.
      const two = await profileFileSplit(join(SHARED, f), {}, 0, { minBytes: 0, early: 1 });
      expect(json(two), f).toBe(json(one));
    }
  }, 300_000);
});
