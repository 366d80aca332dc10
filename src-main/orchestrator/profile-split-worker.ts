/**
 * The helper thread of a split profile (profile-split.ts): reads the whole file, accumulates
 * its half of the columns, settles spills with the main thread after every batch, and at the
 * end sends its columns' profiles and per-row codes (moved, not copied).
 */
import type { MessagePort } from 'node:worker_threads';
import type { ColumnPart } from '../engine/profile';
import { profileRows, type ProfileSource } from '../io/profile-file';
import { Exchange, helperOwns } from './profile-exchange';

export interface ProfileShareJob {
  source: ProfileSource;
  sampleRows: number;
  memory: SharedArrayBuffer;
}

export type ProfileShareMessage =
  { type: 'parts'; parts: ColumnPart[] } | { type: 'error'; message: string };

export async function serveProfileShare(job: ProfileShareJob, port: MessagePort): Promise<void> {
  try {
    const columns = job.source.info.columns.length;
    // The main thread stops this one when it fails, so there is no failure of its to hear.
    const exchange = new Exchange(job.memory, columns, 1, () => null);
    const share = { own: helperOwns, exchange: exchange.exchange };
    const profiler = await profileRows(job.source, job.sampleRows, () => {}, null, share);
    await exchange.finish();
    const parts = profiler.parts();
    const transfer: ArrayBuffer[] = [];
    for (const p of parts) {
      if (p.codes) transfer.push(p.codes.buffer as ArrayBuffer);
      if (p.codesHi) transfer.push(p.codesHi.buffer as ArrayBuffer);
    }
    port.postMessage({ type: 'parts', parts } satisfies ProfileShareMessage, transfer);
  } catch (e) {
    port.postMessage({
      type: 'error',
      message: (e as Error)?.message ?? String(e),
    } satisfies ProfileShareMessage);
  }
}
