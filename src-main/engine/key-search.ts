/**
 * The suggested key: the smallest set of columns, up to three, that is unique and has no nulls.
 * Among sets of the same size the leftmost wins: keys usually come first in a table. A set is
 * tested over every row, on a 64-bit fingerprint of the row's per-row codes in its columns
 * (column-accumulator.ts: ids, or a spilled column's 64-bit hash). Equal values give equal
 * fingerprints, so a set found unique is unique: a shared fingerprint of different values
 * (about one chance in 10^7 at ten million rows) could only make a unique set look repeated.
 */
import { FingerprintSet } from './fingerprint-set';
import { fmix, mix } from './hashset';
import type { ColumnProfile } from './profile-types';
import { CHUNK, type RowCodes } from './row-codes';

/** Sets of three tried at most, so a wide table without a key does not test thousands. */
const MAX_TRIPLES = 200;

/** A column's per-row codes (column-accumulator.ts), null once it held a null. */
export interface KeyCodes {
  codes: RowCodes | null;
}

/** What the search weighs of a column's profile (known before the rest of it is worked out). */
export type KeyStats = Pick<ColumnProfile, 'nullCount' | 'distinctCount' | 'distinctCapped'>;

export function suggestKey(
  names: string[],
  cols: KeyCodes[],
  profiles: KeyStats[],
  rows: number,
  rowsPerPass = ROWS_PER_PASS,
): string[] | null {
  if (rows === 0) return null;
  const candidates = profiles.flatMap((p, i) =>
    p.nullCount === 0 && cols[i].codes !== null ? [i] : [],
  );
  // A spilled column's distinct count is an estimate: take it as a little higher for pruning.
  const distinct = (i: number): number =>
    profiles[i].distinctCapped ? profiles[i].distinctCount * 1.1 : profiles[i].distinctCount;
  // One fingerprint set for every test, cleared rather than made anew: a set of millions of
  // rows is tens of MB, and freeing and taking that again per test grew the process's peak by
  // whatever the allocator happened to keep (268 to 328 MB at a million rows).
  const scratch: Scratch = { set: null };
  const unique = (set: number[]): boolean => {
    const product = set.reduce((s, i) => s * Math.max(1, distinct(i)), 1);
    if (product < rows) return false;
    if (set.length === 1 && !profiles[set[0]].distinctCapped)
      return profiles[set[0]].distinctCount === rows;
    return allUnique(
      set.map((i) => cols[i]),
      rows,
      rowsPerPass,
      scratch,
    );
  };
  for (const i of candidates) if (unique([i])) return [names[i]];
  for (let a = 0; a < candidates.length; a++)
    for (let b = a + 1; b < candidates.length; b++)
      if (unique([candidates[a], candidates[b]]))
        return [names[candidates[a]], names[candidates[b]]];
  let checks = 0;
  for (let a = 0; a < candidates.length; a++)
    for (let b = a + 1; b < candidates.length; b++)
      for (let c = b + 1; c < candidates.length; c++) {
        if (++checks > MAX_TRIPLES) return null;
        if (unique([candidates[a], candidates[b], candidates[c]]))
          return [candidates[a], candidates[b], candidates[c]].map((i) => names[i]);
      }
  return null;
}

/** Rows whose fingerprints one pass keeps at most: more rows take more passes, not more memory. */
const ROWS_PER_PASS = 1 << 21;

/**
 * Chunks of rows first tested on their own, every row in one set, before the passes: most sets
 * of columns that repeat do so early (an order's second line), and a pass keeps only some rows
 * of each chunk, so a repeat 92,000 rows in was found after reading every chunk of the file up
 * to the pass it fell in (a test of 60 ms at a million rows, of a second at ten million).
 */
const EARLY_CHUNKS = 2;

/** A chunk's rows' fingerprints as they are worked out, a column at a time, and a code part. */
interface Scratch {
  set: FingerprintSet | null;
  early?: FingerprintSet;
  lo?: Int32Array;
  hi?: Int32Array;
  part?: Int32Array;
}

/**
 * Whether no two rows share their codes in all of `cols`; stops at the first repeat. Rows are
 * split by their fingerprint into passes (equal rows always fall in the same one).
 */
function allUnique(cols: KeyCodes[], rows: number, rowsPerPass: number, scratch: Scratch): boolean {
  const codes = cols.map((c) => c.codes!);
  let passes = 1;
  while (passes * rowsPerPass < rows) passes *= 2;
  const lo = (scratch.lo ??= new Int32Array(CHUNK));
  const hi = (scratch.hi ??= new Int32Array(CHUNK));
  const chunks = codes[0].chunks;
  const early = Math.min(chunks, EARLY_CHUNKS);
  const first = (scratch.early ??= new FingerprintSet(CHUNK, EARLY_CHUNKS * CHUNK));
  first.clear();
  for (let chunk = 0; chunk < early; chunk++) {
    const n = fingerprints(codes, chunk, lo, hi, scratch);
    for (let r = 0; r < n; r++) if (!first.add(lo[r], hi[r])) return false;
  }
  if (early === chunks) return true;
  for (let pass = 0; pass < passes; pass++) {
    // Its sizes are the same for every test of a search (rows and passes are): small at first,
    // as most tests stop at an early repeat, then at once as large as a pass can need.
    const most = Math.ceil(rows / passes);
    const set = (scratch.set ??= new FingerprintSet(Math.min(most, 1 << 16), most));
    set.clear();
    // Chunk by chunk: every column's chunks hold the same rows.
    for (let chunk = 0; chunk < chunks; chunk++) {
      const n = fingerprints(codes, chunk, lo, hi, scratch);
      for (let r = 0; r < n; r++) {
        const l = lo[r];
        if ((l & (passes - 1)) !== pass) continue;
        if (!set.add(l, hi[r])) return false;
      }
    }
  }
  return true;
}

/** Chunk `chunk`'s rows' fingerprints, in `lo` and `hi`; returns how many rows it holds. */
function fingerprints(
  codes: RowCodes[],
  chunk: number,
  lo: Int32Array,
  hi: Int32Array,
  scratch: Scratch,
): number {
  // A chunk's fingerprints are mixed a code part at a time over all its rows, each part as
  // Int32Array, rather than a row at a time over parts of three array types: the same mixing
  // in the same order, a third faster (the row-at-a-time loop read its parts polymorphically).
  const ints = (scratch.part ??= new Int32Array(CHUNK));
  let n = 0;
  for (let c = 0; c < codes.length; c++) {
    const part = codes[c].chunk(chunk);
    n = part.rows;
    if (c === 0) {
      lo.fill(0x2545f491, 0, n);
      hi.fill(0x68e31da4, 0, n);
    }
    mixPart(lo, hi, asInts(part.lo, ints), n);
    if (part.hi) mixPart(lo, hi, asInts(part.hi, ints), n);
  }
  for (let r = 0; r < n; r++) {
    lo[r] = fmix(lo[r]);
    hi[r] = fmix(hi[r] ^ 0x5bd1e995);
  }
  return n;
}

/** Mixes each row's code `x[r]` into its fingerprint halves. */
function mixPart(lo: Int32Array, hi: Int32Array, x: Int32Array, n: number): void {
  for (let r = 0; r < n; r++) {
    const v = x[r];
    lo[r] = mix(lo[r], v);
    hi[r] = mix(hi[r], v + 0x7f4a7c15);
  }
}

/** Codes as an Int32Array: themselves, or copied into `into` (ids of 1 or 2 bytes). */
function asInts(codes: ArrayLike<number>, into: Int32Array): Int32Array {
  if (codes instanceof Int32Array) return codes;
  into.set(codes);
  return into;
}
