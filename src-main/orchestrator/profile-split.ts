/**
 * A file's profile on both cores: this thread and a helper thread (profile-split-worker.ts) each
 * read the whole file, and each accumulates half of the columns, so the work that costs (finding,
 * counting and classifying every cell's value) is shared. Reading is cheap next to it, and each
 * thread reading for itself needs no hand-over of rows. The two meet after every batch
 * (profile-exchange.ts) to take the spill decisions a single thread would take, so the profile
 * is the same, byte for byte, as profileFile's on one thread; the helper then hands its columns'
 * profiles over, with where its per-row codes are, and the key search runs here over all of
 * them. The codes of both threads go to temporary files (io/code-file.ts), deleted at the end:
 * kept in memory, they would be most of the memory of a profile of millions of rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { DISTINCT_CAP, type ColumnPart } from '../engine/profile';
import { RowCodes } from '../engine/row-codes';
import { CodeFile } from '../io/code-file';
import { openCsv, SourceError, type ReadReject } from '../io/csv-read';
import { fileProfile, profileRows, type FileProfile, type ProfileSource } from '../io/profile-file';
import { Exchange, exchangeMemory, helperOwns } from './profile-exchange';
import type { ProfileShareJob, ProfileShareMessage, WireParts } from './profile-split-worker';
import { workerScript } from './worker-script';

/**
 * The helper's young generation, in MB: as a pool worker's (worker-pool.ts). V8's default (up to
 * 48 MB) only adds resident memory: a batch's garbage is small.
 */
const HELPER_YOUNG_MB = 8;

/** Files smaller than this are profiled on one thread: a thread's start costs more. */
export const SPLIT_MIN_BYTES = 16 << 20;

/** What tests change: the size from which a file is split, the cap on distinct values kept. */
export interface SplitOptions {
  minBytes?: number;
  distinctCap?: number;
}

/** Profiles every row, on two threads for a large file; the same profile as profileFile's. */
export async function profileFileSplit(
  path: string,
  settings: Partial<SourceSettings> = {},
  sampleRows = 0,
  opts: SplitOptions = {},
): Promise<FileProfile> {
  const src = await openCsv(path, settings);
  if (!src.read) throw new SourceError('is not a file that can be profiled', path);
  const { info, stats } = src;
  const source: ProfileSource = { info, stats, ...src.read, distinctCap: opts.distinctCap };
  const rejects: ReadReject[] = [];
  const sample: FileProfile['sample'] = { rows: [], lines: [] };
  const onReject = (r: ReadReject): void => void rejects.push(r);
  if (info.bytes < (opts.minBytes ?? SPLIT_MIN_BYTES) || info.columns.length < 2) {
    const profiler = await profileRows(source, sampleRows, onReject, sample);
    return fileProfile(profiler.result(), info, stats, rejects, sample);
  }
  const sab = exchangeMemory(info.columns.length);
  const script = workerScript();
  // Each thread writes its columns' per-row codes to a file of its own.
  const dir = mkdtempSync(join(tmpdir(), 'sluice-profile-'));
  const job: ProfileShareJob = {
    source: { ...source, stats: { ...stats } },
    sampleRows,
    memory: sab,
    codes: join(dir, 'helper.codes'),
  };
  let worker: Worker | null = null;
  const codes = new CodeFile(join(dir, 'main.codes'), true);
  let theirs: CodeFile | null = null;
  try {
    worker = new Worker(script, {
      workerData: { script, profileShare: job },
      resourceLimits: { maxYoungGenerationSizeMb: HELPER_YOUNG_MB },
    });
    let failure: Error | null = null;
    let parts: WireParts | null = null;
    let arrived: (() => void) | null = null;
    worker.on('message', (m: ProfileShareMessage) => {
      if (m.type === 'parts') parts = m.parts;
      else failure ??= new Error(m.message);
      arrived?.();
    });
    worker.on('error', (e) => {
      failure ??= e;
      arrived?.();
    });
    worker.on('exit', (code) => {
      failure ??= new Error(`the profile's helper thread stopped (exit code ${code})`);
      arrived?.();
    });
    const ncols = info.columns.length;
    const helper = info.columns.filter((_, c) => helperOwns(c)).length;
    const cap = opts.distinctCap ?? DISTINCT_CAP;
    const exchange = new Exchange(sab, ncols, 0, helper, cap, () => failure);
    const share = { own: (c: number) => !helperOwns(c), exchange: exchange.exchange };
    const profiler = await profileRows(source, sampleRows, onReject, sample, share, codes);
    await exchange.finish();
    // This thread's columns' profiles while the helper works out its own.
    const mine = profiler.parts();
    while (parts === null && failure === null) await new Promise<void>((r) => (arrived = r));
    if (parts === null) throw failure!;
    const read = (theirs = new CodeFile(job.codes, false));
    const others: ColumnPart[] = (parts as WireParts).map((p) => ({
      index: p.index,
      profile: p.profile,
      codes: p.codes && RowCodes.from(p.codes, read),
    }));
    return fileProfile(profiler.combine([...mine, ...others]), info, stats, rejects, sample);
  } finally {
    await worker?.terminate();
    codes.close();
    theirs?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
