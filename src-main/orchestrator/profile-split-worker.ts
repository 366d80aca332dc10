/**
 * The helper thread of a split profile (profile-split.ts): takes the batches the main thread
 * reads (profile-helper.ts), accumulates its share of the columns, settles spills with the main
 * thread after every batch, and at the end sends where its columns' per-row codes are (its
 * file, and the last, open chunk of each, moved rather than copied), then their profiles.
 */
import type { MessagePort } from 'node:worker_threads';
import { DISTINCT_CAP, type ColumnProfile, type KeyPart } from '../engine/profile';
import type { RowCodesData } from '../engine/row-codes';
import { CodeFile } from '../io/code-file';
import type { RawBatch } from '../io/csv-raw';
import { profileRows, type ProfileShare, type ProfileSource } from '../io/profile-rows';
import { Exchange, markEarly } from './profile-exchange';

export interface ProfileShareJob {
  source: ProfileSource;
  sampleRows: number;
  /** Batches both threads take whole (ProfileShare.early). */
  early: number;
  memory: SharedArrayBuffer;
  /** The file its columns' per-row codes go to. */
  codes: string;
}

/**
 * What the main thread sends: the job (once the file is open), its batches, which columns this
 * thread keeps (after the early batches), the batches' end.
 */
export type ToHelper =
  | { type: 'job'; job: ProfileShareJob }
  | { type: 'batch'; raw: RawBatch }
  | { type: 'columns'; helps: boolean[] }
  | { type: 'end' };

/** What the key search needs of the helper's columns, their codes as plain data (chunks in the file). */
export type WireKeys = (Omit<KeyPart, 'codes'> & { codes: RowCodesData | null })[];

/** The helper's columns' profiles. */
export type WireParts = { index: number; profile: ColumnProfile }[];

/**
 * What the helper sends back: first what the key search needs, so that it runs on the main
 * thread while the helper works out its columns' profiles, then those.
 */
export type ProfileShareMessage =
  | { type: 'keys'; keys: WireKeys }
  | { type: 'parts'; parts: WireParts }
  | { type: 'error'; message: string };

export async function serveProfileShare(port: MessagePort): Promise<void> {
  const inbox = new Inbox(port);
  let store: CodeFile | null = null;
  try {
    const job = await inbox.job;
    store = new CodeFile(job.codes, true);
    const columns = job.source.info.columns.length;
    const cap = job.source.distinctCap ?? DISTINCT_CAP;
    let exchange: Exchange | null = null;
    const share: ProfileShare = {
      early: job.early,
      split: async () => {
        const helps = await inbox.columns;
        const theirs = columns - helps.filter(Boolean).length;
        // The main thread stops this one when it fails, so there is no failure of its to hear.
        exchange = new Exchange(job.memory, columns, 1, theirs, cap, () => null);
        return { own: (c) => helps[c], exchange: exchange.exchange };
      },
      tookEarly: (n) => markEarly(job.memory, n),
      batches: inbox.batches(),
    };
    const profiler = await profileRows(job.source, job.sampleRows, () => {}, null, share, store);
    // A file of fewer batches than the early ones: the main thread took every column itself.
    if (!exchange) return void store.close();
    await (exchange as Exchange).finish();
    const transfer: ArrayBuffer[] = [];
    const keys: WireKeys = profiler.keyParts().map((k) => {
      if (!k.codes) return { ...k, codes: null };
      const d = k.codes.data();
      transfer.push(...d.transfer);
      return { ...k, codes: d.data };
    });
    store.close();
    port.postMessage({ type: 'keys', keys } satisfies ProfileShareMessage, transfer);
    const parts: WireParts = profiler.parts().map((p) => ({ index: p.index, profile: p.profile }));
    port.postMessage({ type: 'parts', parts } satisfies ProfileShareMessage);
  } catch (e) {
    store?.close();
    port.postMessage({
      type: 'error',
      message: (e as Error)?.message ?? String(e),
    } satisfies ProfileShareMessage);
  }
}

/** The main thread's messages, as they come: the job, then the batches until their end. */
class Inbox {
  readonly job: Promise<ProfileShareJob>;
  readonly columns: Promise<boolean[]>;
  private readonly queue: RawBatch[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(port: MessagePort) {
    let take!: (job: ProfileShareJob) => void;
    let told!: (helps: boolean[]) => void;
    this.job = new Promise((r) => (take = r));
    this.columns = new Promise((r) => (told = r));
    port.on('message', (m: ToHelper) => {
      if (m.type === 'job') take(m.job);
      else if (m.type === 'columns') told(m.helps);
      else if (m.type === 'batch') this.queue.push(m.raw);
      else this.ended = true;
      this.wake?.();
      this.wake = null;
    });
  }

  async *batches(): AsyncGenerator<RawBatch> {
    for (;;) {
      if (this.queue.length) yield this.queue.shift()!;
      else if (this.ended) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}
