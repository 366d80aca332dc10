/**
 * The helper thread of a split profile (profile-split.ts): reads the whole file, accumulates
 * its half of the columns, settles spills with the main thread after every batch, and at the
 * end sends its columns' profiles and where their per-row codes are (its file, and the last,
 * open chunk of each, moved rather than copied).
 */
import type { MessagePort } from 'node:worker_threads';
import { DISTINCT_CAP, type ColumnProfile } from '../engine/profile';
import type { RowCodesData } from '../engine/row-codes';
import { CodeFile } from '../io/code-file';
import { profileRows, type ProfileSource } from '../io/profile-file';
import { Exchange, helperOwns } from './profile-exchange';

export interface ProfileShareJob {
  source: ProfileSource;
  sampleRows: number;
  memory: SharedArrayBuffer;
  /** The file its columns' per-row codes go to. */
  codes: string;
}

/** The helper's columns: their profiles, and their codes as plain data (chunks in the file). */
export type WireParts = { index: number; profile: ColumnProfile; codes: RowCodesData | null }[];

export type ProfileShareMessage =
  { type: 'parts'; parts: WireParts } | { type: 'error'; message: string };

export async function serveProfileShare(job: ProfileShareJob, port: MessagePort): Promise<void> {
  const store = new CodeFile(job.codes, true);
  try {
    const columns = job.source.info.columns.length;
    // The main thread stops this one when it fails, so there is no failure of its to hear.
    const mine = job.source.info.columns.filter((_, c) => helperOwns(c)).length;
    const cap = job.source.distinctCap ?? DISTINCT_CAP;
    const exchange = new Exchange(job.memory, columns, 1, columns - mine, cap, () => null);
    const share = { own: helperOwns, exchange: exchange.exchange };
    const profiler = await profileRows(job.source, job.sampleRows, () => {}, null, share, store);
    await exchange.finish();
    const transfer: ArrayBuffer[] = [];
    const parts: WireParts = profiler.parts().map((p) => {
      if (!p.codes) return { index: p.index, profile: p.profile, codes: null };
      const d = p.codes.data();
      transfer.push(...d.transfer);
      return { index: p.index, profile: p.profile, codes: d.data };
    });
    store.close();
    port.postMessage({ type: 'parts', parts } satisfies ProfileShareMessage, transfer);
  } catch (e) {
    store.close();
    port.postMessage({
      type: 'error',
      message: (e as Error)?.message ?? String(e),
    } satisfies ProfileShareMessage);
  }
}
