/**
 * The main thread's handle on the helper thread of a split profile (profile-split-worker.ts).
 * It is started before the file is opened, so that its start (a thread, and the profile's
 * modules compiled there) overlaps the sniffing; it is then given its job, and every batch this
 * thread reads, moved rather than copied once this thread is done with it: the file is read
 * once, not once per thread.
 */
import { Worker } from 'node:worker_threads';
import type { RawBatch } from '../io/csv-raw';
import type {
  ProfileShareJob,
  ProfileShareMessage,
  ToHelper,
  WireKeys,
  WireParts,
} from './profile-split-worker';

/**
 * The helper's young generation, in MB: as a pool worker's (worker-pool.ts). V8's default (up to
 * 48 MB) only adds resident memory: a batch's garbage is small.
 */
const HELPER_YOUNG_MB = 8;

export class ProfileHelper {
  private readonly worker: Worker;
  /** The helper's failure, once there is one (its error, or its stopping). */
  failure: Error | null = null;
  private keys: WireKeys | null = null;
  private parts: WireParts | null = null;
  private arrived: (() => void) | null = null;

  constructor(script: string) {
    this.worker = new Worker(script, {
      workerData: { script, profileShare: true },
      resourceLimits: { maxYoungGenerationSizeMb: HELPER_YOUNG_MB },
    });
    this.worker.on('message', (m: ProfileShareMessage) => {
      if (m.type === 'keys') this.keys = m.keys;
      else if (m.type === 'parts') {
        this.parts = m.parts;
        // Its heap goes now, while the key search here may still be taking memory.
        void this.worker.terminate();
      } else this.failure ??= new Error(m.message);
      this.arrived?.();
    });
    this.worker.on('error', (e) => {
      this.failure ??= e;
      this.arrived?.();
    });
    this.worker.on('exit', (code) => {
      this.failure ??= new Error(`the profile's helper thread stopped (exit code ${code})`);
      this.arrived?.();
    });
  }

  start(job: ProfileShareJob): void {
    this.send({ type: 'job', job });
  }

  /** Says which columns the helper keeps after the early batches (profile-file.ts ProfileShare). */
  share(helps: boolean[]): void {
    this.send({ type: 'columns', helps });
  }

  /** Hands a batch over; this thread must not read it afterwards (its arrays are moved). */
  pass(raw: RawBatch): void {
    this.send({ type: 'batch', raw }, movable(raw));
  }

  /** Says there are no more batches. */
  end(): void {
    this.send({ type: 'end' });
  }

  /** What the key search needs of the helper's columns, once it has read every batch. */
  async keyParts(): Promise<WireKeys> {
    return this.arrival(() => this.keys);
  }

  /** The helper's columns' profiles, once it has worked them out. */
  async result(): Promise<WireParts> {
    return this.arrival(() => this.parts);
  }

  private async arrival<T>(got: () => T | null): Promise<T> {
    while (got() === null && this.failure === null)
      await new Promise<void>((r) => (this.arrived = r));
    const v = got();
    if (v === null) throw this.failure!;
    return v;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private send(m: ToHelper, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }
}

/** The buffers a batch's arrays have to themselves (a view into a larger one is copied). */
function movable(raw: RawBatch): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const a of [raw.bytes, raw.start, raw.end, raw.plain, raw.line, raw.lineEnd, raw.rowByte]) {
    if (!a) continue;
    const b = a.buffer;
    if (b instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === b.byteLength)
      if (!out.includes(b)) out.push(b);
  }
  return out;
}
