/**
 * A file's profile on both cores: this thread and a helper thread (profile-split-worker.ts) each
 * read the whole file, and each accumulates half of the columns, so the work that costs (finding,
 * counting and classifying every cell's value) is shared. Reading is cheap next to it, and each
 * thread reading for itself needs no hand-over of rows. The two meet after every batch
 * (profile-exchange.ts) to take the spill decisions a single thread would take, so the profile
 * is the same, byte for byte, as profileFile's on one thread; the helper then hands its columns'
 * profiles and per-row codes over, and the key search runs here over all of them.
 */
import { Worker } from 'node:worker_threads';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import type { ColumnPart } from '../engine/profile';
import { openCsv, SourceError, type ReadReject } from '../io/csv-read';
import { fileProfile, profileRows, type FileProfile, type ProfileSource } from '../io/profile-file';
import { Exchange, exchangeMemory, helperOwns } from './profile-exchange';
import type { ProfileShareJob, ProfileShareMessage } from './profile-split-worker';
import { workerScript } from './worker-script';

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
  const job: ProfileShareJob = {
    source: { ...source, stats: { ...stats } },
    sampleRows,
    memory: sab,
  };
  const worker = new Worker(script, { workerData: { script, profileShare: job } });
  let failure: Error | null = null;
  let parts: ColumnPart[] | null = null;
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
  try {
    const exchange = new Exchange(sab, info.columns.length, 0, () => failure);
    const share = { own: (c: number) => !helperOwns(c), exchange: exchange.exchange };
    const profiler = await profileRows(source, sampleRows, onReject, sample, share);
    await exchange.finish();
    while (parts === null && failure === null) await new Promise<void>((r) => (arrived = r));
    if (parts === null) throw failure!;
    return fileProfile(profiler.result({}, parts), info, stats, rejects, sample);
  } finally {
    await worker.terminate();
  }
}
