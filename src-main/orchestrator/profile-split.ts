/**
 * A file's profile on both cores: this thread reads the file and hands every batch, once it is
 * done with it, to a helper thread (profile-helper.ts, profile-split-worker.ts); each thread
 * accumulates half of the columns, so the work that costs (finding, counting and classifying
 * every cell's value) is shared, and the file is read once. The two meet after every batch
 * (profile-exchange.ts) to take the spill decisions a single thread would take, so the profile
 * is the same, byte for byte, as profileFile's on one thread. The helper then hands over where
 * its columns' per-row codes are, and the key search runs here over all of them while the helper
 * works out its columns' profiles. The codes of both threads go to temporary files (io/code-file.ts), deleted at the end:
 * kept in memory, they would be most of the memory of a profile of millions of rows.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { DISTINCT_CAP, type KeyPart } from '../engine/profile';
import { RowCodes } from '../engine/row-codes';
import { CodeFile } from '../io/code-file';
import { openCsv, SourceError, type ReadReject } from '../io/csv-read';
import { fileProfile, type FileProfile } from '../io/profile-file';
import { profileRows, type ProfileShare, type ProfileSource } from '../io/profile-rows';
import { helperColumns } from './column-share';
import { earlyDone, Exchange, exchangeMemory } from './profile-exchange';
import { ProfileHelper } from './profile-helper';
import { workerScript } from './worker-script';

/** Files smaller than this are profiled on one thread: a thread's start costs more. */
export const SPLIT_MIN_BYTES = 16 << 20;

/**
 * Batches both threads take whole, to time each column before sharing them out (column-share.ts):
 * the helper does that work twice, but mostly while the main thread is ahead of it anyway.
 */
const EARLY_BATCHES = 16;

/**
 * What tests change: the size from which a file is split, the cap on distinct values kept, the
 * batches taken whole, and the sharing out of the columns.
 */
export interface SplitOptions {
  minBytes?: number;
  distinctCap?: number;
  early?: number;
  helperColumns?: typeof helperColumns;
}

/** Profiles every row, on two threads for a large file; the same profile as profileFile's. */
export async function profileFileSplit(
  path: string,
  settings: Partial<SourceSettings> = {},
  sampleRows = 0,
  opts: SplitOptions = {},
): Promise<FileProfile> {
  const minBytes = opts.minBytes ?? SPLIT_MIN_BYTES;
  // Started while the file is opened (a file this large is split unless it has one column).
  let helper = sizeOf(path) >= minBytes ? new ProfileHelper(workerScript()) : null;
  let dir: string | null = null;
  let codes: CodeFile | null = null;
  let theirs: CodeFile | null = null;
  try {
    const src = await openCsv(path, settings);
    if (!src.read) throw new SourceError('is not a file that can be profiled', path);
    const { info, stats } = src;
    const source: ProfileSource = { info, stats, ...src.read, distinctCap: opts.distinctCap };
    const rejects: ReadReject[] = [];
    const sample: FileProfile['sample'] = { rows: [], lines: [] };
    const onReject = (r: ReadReject): void => void rejects.push(r);
    if (info.bytes < minBytes || info.columns.length < 2) {
      await helper?.stop();
      helper = null;
      const profiler = await profileRows(source, sampleRows, onReject, sample);
      return fileProfile(profiler.result(), info, stats, rejects, sample);
    }
    helper ??= new ProfileHelper(workerScript());
    const sab = exchangeMemory(info.columns.length);
    // Each thread writes its columns' per-row codes to a file of its own.
    dir = mkdtempSync(join(tmpdir(), 'sluice-profile-'));
    const early = opts.early ?? EARLY_BATCHES;
    const job = { source, sampleRows, early, memory: sab, codes: join(dir, 'helper.codes') };
    helper.start(job);
    codes = new CodeFile(join(dir, 'main.codes'), true);
    const ncols = info.columns.length;
    const cap = opts.distinctCap ?? DISTINCT_CAP;
    const h = helper;
    let exchange: Exchange | null = null;
    const share: ProfileShare = {
      early,
      split: async (spent, batchBytes) => {
        // The helper starts later and takes the early batches again: what it still has of
        // them now is work it has on top of its columns, spread over the batches to come.
        const behind = early - earlyDone(sab);
        const whole = spent.reduce((a, b) => a + b, 0);
        const toCome = Math.max(1, info.bytes / Math.max(1, batchBytes) - early);
        const late = (behind * whole) / toCome;
        const helps = (opts.helperColumns ?? helperColumns)(spent, batchBytes, late);
        h.share(helps);
        const helped = helps.filter(Boolean).length;
        exchange = new Exchange(sab, ncols, 0, helped, cap, () => h.failure);
        return { own: (c) => !helps[c], exchange: exchange.exchange };
      },
      pass: h.pass.bind(h),
    };
    const profiler = await profileRows(source, sampleRows, onReject, sample, share, codes);
    h.end();
    // A file of fewer batches than the early ones: this thread took every column.
    if (!exchange) return fileProfile(profiler.result(), info, stats, rejects, sample);
    await (exchange as Exchange).finish();
    // This thread's columns' profiles while the helper reads its last batches, then the key
    // search while it works out its columns' profiles.
    const mine = profiler.parts();
    const keys = await h.keyParts();
    const read = (theirs = new CodeFile(job.codes, false));
    const others: KeyPart[] = keys.map((k) => ({
      ...k,
      codes: k.codes && RowCodes.from(k.codes, read),
    }));
    const key = profiler.key([...profiler.keyParts(), ...others]);
    const profiles = profiler.assemble([...mine, ...(await h.result())], key);
    return fileProfile(profiles, info, stats, rejects, sample);
  } finally {
    await helper?.stop();
    codes?.close();
    theirs?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The file's size, or -1 when it cannot be read (openCsv says why). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}
