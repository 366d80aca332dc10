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
import { CHUNK, MemoryCodes, type CodeStore, type RowCodes } from './row-codes';

/** Sets of three tried at most, so a wide table without a key does not test thousands. */
const MAX_TRIPLES = 200;

/** A column's per-row codes (column-accumulator.ts), null once it held a null. */
export interface KeyCodes {
  codes: RowCodes | null;
  /**
   * Each of the column's values is on consecutive rows only (ColumnAccumulator.clustered): a
   * set of columns with this one in it repeats only within a run of its rows of one value.
   */
  clustered?: boolean;
}

/** What the search weighs of a column's profile (known before the rest of it is worked out). */
export type KeyStats = Pick<ColumnProfile, 'nullCount' | 'distinctCount' | 'distinctCapped'>;

/**
 * `store`: where a search over more rows than one pass holds keeps the later passes'
 * fingerprints (8 bytes a row): the profile's code file, which keeps them out of memory.
 */
export function suggestKey(
  names: string[],
  cols: KeyCodes[],
  profiles: KeyStats[],
  rows: number,
  rowsPerPass = ROWS_PER_PASS,
  store: CodeStore = new MemoryCodes(),
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
    const keyCols = set.map((i) => cols[i]);
    // The clustered column of most values has the shortest runs.
    let runs = -1;
    for (let k = 0; k < set.length; k++)
      if (keyCols[k].clustered && (runs < 0 || distinct(set[k]) > distinct(set[runs]))) runs = k;
    const inRuns = runs < 0 ? null : uniqueInRuns(keyCols, runs, scratch);
    return inRuns ?? allUnique(keyCols, rows, rowsPerPass, scratch, store);
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

/**
 * Rows whose fingerprints one pass keeps at most: more rows take more passes, not more memory.
 * A pass's set takes 9 MB (2^20 slots of 9 bytes), made when the profile's memory is at its
 * highest: 2^20 rows a pass (18 MB) put the 10M one-command peak about 9 MB higher (medians
 * of 4 alternated runs, 247 and 238 MB), and a 1M import was no slower in two passes than one.
 */
const ROWS_PER_PASS = 1 << 19;

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
  segment?: Uint8Array;
  runLo?: Int32Array;
  runHi?: Int32Array;
  seenLo?: Int32Array;
  seenHi?: Int32Array;
}

/**
 * Whether no two rows share their codes in all of `cols`; stops at the first repeat. Rows are
 * split by their fingerprint into passes (equal rows always fall in the same one); `store`
 * keeps the fingerprints of every pass but the first while the first is tested.
 */
function allUnique(
  cols: KeyCodes[],
  rows: number,
  rowsPerPass: number,
  scratch: Scratch,
  store: CodeStore,
): boolean {
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
  const most = Math.ceil(rows / passes);
  // Its sizes are the same for every test of a search (rows and passes are): small at first,
  // as most tests stop at an early repeat, then at once as large as a pass can need.
  const set = (scratch.set ??= new FingerprintSet(Math.min(most, 1 << 16), most));
  set.clear();
  // One sweep over the codes: the first pass's fingerprints go into the set, the others' to
  // the store, a segment at a time, to be read back a pass at a time. Sweeping the codes once a
  // pass took 8 sweeps of ten million rows, 3.3 s of a 14 s import.
  const written = { first: -1 };
  try {
    return sweep(codes, passes, set, lo, hi, scratch, store, written);
  } finally {
    if (written.first >= 0) store.rewind?.(written.first);
  }
}

/**
 * The passes of allUnique over every chunk of `codes`, in one sweep. `written.first`: the
 * handle of the first segment put in the store, which the caller rewinds to.
 */
function sweep(
  codes: RowCodes[],
  passes: number,
  set: FingerprintSet,
  lo: Int32Array,
  hi: Int32Array,
  scratch: Scratch,
  store: CodeStore,
  written: { first: number },
): boolean {
  const segments: number[][] = Array.from({ length: passes }, () => []);
  const open: Int32Array[] = [];
  const filled = new Int32Array(passes);
  const chunks = codes[0].chunks;
  for (let chunk = 0; chunk < chunks; chunk++) {
    const n = fingerprints(codes, chunk, lo, hi, scratch);
    for (let r = 0; r < n; r++) {
      const l = lo[r];
      const pass = l & (passes - 1);
      if (pass === 0) {
        if (!set.add(l, hi[r])) return false;
        continue;
      }
      const seg = (open[pass] ??= new Int32Array(SEGMENT * 2));
      const at = filled[pass];
      seg[at] = l;
      seg[at + 1] = hi[r];
      if (at + 2 < seg.length) filled[pass] = at + 2;
      else {
        // The store may keep what it is given (MemoryCodes does): the next segment is new.
        const handle = store.put(new Uint8Array(seg.buffer));
        if (written.first < 0) written.first = handle;
        segments[pass].push(handle);
        open[pass] = new Int32Array(SEGMENT * 2);
        filled[pass] = 0;
      }
    }
  }
  const into = (scratch.segment ??= new Uint8Array(SEGMENT * 8));
  for (let pass = 1; pass < passes; pass++) {
    set.clear();
    for (const handle of segments[pass]) {
      const bytes = store.get(handle, SEGMENT * 8, into);
      if (!addAll(set, new Int32Array(bytes.buffer, bytes.byteOffset, SEGMENT * 2), SEGMENT * 2))
        return false;
    }
    if (open[pass] && !addAll(set, open[pass], filled[pass])) return false;
  }
  return true;
}

/**
 * The rows of a run of one value that uniqueInRuns compares with one another, at most: a
 * longer run (a clustered column of few values) is left to the whole-table test.
 */
const MAX_RUN = 64;

/**
 * allUnique of a set of columns of which column `runs` is clustered: two rows can share their
 * codes only within one run of that column's rows, so each row's fingerprint of the other
 * columns is compared with those of the rows before it in its run, in one sweep of the rows in
 * order, with no table and no passes (an order number's lines: a run of a few rows). A run is
 * a stretch of rows with the same code in that column; two values sharing a hash only join two
 * runs. Null when a run is longer than MAX_RUN: the caller tests the set as usual.
 */
function uniqueInRuns(cols: KeyCodes[], runs: number, scratch: Scratch): boolean | null {
  const codes = cols.map((c) => c.codes!);
  const lo = (scratch.lo ??= new Int32Array(CHUNK));
  const hi = (scratch.hi ??= new Int32Array(CHUNK));
  const runLo = (scratch.runLo ??= new Int32Array(CHUNK));
  const runHi = (scratch.runHi ??= new Int32Array(CHUNK));
  const seenLo = (scratch.seenLo ??= new Int32Array(MAX_RUN));
  const seenHi = (scratch.seenHi ??= new Int32Array(MAX_RUN));
  const keep = { column: runs, lo: runLo, hi: runHi };
  let len = 0;
  let lastLo = 0;
  let lastHi = 0;
  for (let chunk = 0; chunk < codes[0].chunks; chunk++) {
    const n = fingerprints(codes, chunk, lo, hi, scratch, keep);
    for (let r = 0; r < n; r++) {
      const a = runLo[r];
      const b = runHi[r];
      if (a !== lastLo || b !== lastHi || len === 0) {
        len = 0;
        lastLo = a;
        lastHi = b;
      }
      const l = lo[r];
      const h = hi[r];
      for (let k = 0; k < len; k++) if (seenLo[k] === l && seenHi[k] === h) return false;
      if (len === MAX_RUN) return null;
      seenLo[len] = l;
      seenHi[len] = h;
      len++;
    }
  }
  return true;
}

/** Fingerprints in a pass's segment of the store: (lo, hi) pairs. */
const SEGMENT = 1 << 13;

/** Adds the first `count` / 2 pairs of `pairs`; false at the first that was there already. */
function addAll(set: FingerprintSet, pairs: Int32Array, count: number): boolean {
  for (let k = 0; k < count; k += 2) if (!set.add(pairs[k], pairs[k + 1])) return false;
  return true;
}

/**
 * Chunk `chunk`'s rows' fingerprints, in `lo` and `hi`; returns how many rows it holds. `keep`:
 * a column whose codes are copied out instead of mixed in (the high halves as 0 for ids).
 */
function fingerprints(
  codes: RowCodes[],
  chunk: number,
  lo: Int32Array,
  hi: Int32Array,
  scratch: Scratch,
  keep?: { column: number; lo: Int32Array; hi: Int32Array },
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
    if (keep?.column === c) {
      // Copied out, not mixed in: the rows it is compared among share it.
      keep.lo.set(asInts(part.lo, ints).subarray(0, n));
      if (part.hi) keep.hi.set(asInts(part.hi, ints).subarray(0, n));
      else keep.hi.fill(0, 0, n);
      continue;
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
