/**
 * The two threads of a split profile (profile-split.ts) meet after every batch, through shared
 * memory: each writes its columns' standing (distinct values kept, growth) and its row count.
 * A spill can only follow a batch after which the columns together keep more distinct values
 * than the cap; when the other thread's last standing, grown by one new value per row and
 * column since, cannot take the total past the cap, a thread carries on without waiting.
 * Otherwise it waits for the other's standing after the same batch, and both make the same
 * spill decision (Profiler.settle), the one a single thread would make. So the threads run
 * apart most of the time, which matters on a busy machine, where either may be descheduled.
 * Standings are kept in a ring of RING batches: a thread does not run further ahead than that.
 *
 * The wait is asynchronous (Atomics.waitAsync), so a thread's event loop keeps running: the
 * main thread hears its worker fail, and the worker hears it is being stopped.
 */

/**
 * Int32 slots of the control block, per side: a count of changes (what the other waits on),
 * batches done, and batches in all (-1 until known); then the early batches (taken whole,
 * before the columns are shared out) the helper has done, and one unused (the standings after
 * it are 8-byte aligned).
 */
const SEQ = 0;
const DONE = 2;
const TOTAL = 4;
const EARLY = 6;
const CONTROL_INTS = 8;
/** Batches whose standings are kept: how far one thread may run ahead of the other. */
const RING = 32;
/** How long one wait lasts before checking whether the other thread failed. */
const CHECK_MS = 500;

type WaitAsync = (
  a: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** The shared memory of a split profile of `columns` columns. */
export function exchangeMemory(columns: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(CONTROL_INTS * 4 + RING * 2 * (columns * 2 + 1) * 8);
  new Int32Array(sab, 0, CONTROL_INTS).fill(-1, TOTAL, TOTAL + 2);
  return sab;
}

/** The helper says it has taken `n` early batches (what the main thread weighs when it shares the columns out). */
export function markEarly(sab: SharedArrayBuffer, n: number): void {
  Atomics.store(new Int32Array(sab, 0, CONTROL_INTS), EARLY, n);
}

/** How many early batches the helper has taken. */
export function earlyDone(sab: SharedArrayBuffer): number {
  return Atomics.load(new Int32Array(sab, 0, CONTROL_INTS), EARLY);
}

export class Exchange {
  private readonly control: Int32Array;
  /** Per batch of the ring and side: the row count, then per column [kept, growth]. */
  private readonly slots: Float64Array;
  private readonly width: number;
  private batches = 0;

  constructor(
    sab: SharedArrayBuffer,
    private readonly columns: number,
    private readonly side: 0 | 1,
    /** How many columns the other side accumulates. */
    private readonly theirColumns: number,
    /** Distinct values kept, over all columns, past which columns spill. */
    private readonly cap: number,
    /** The other thread's failure, once there is one. */
    private readonly failed: () => Error | null,
  ) {
    this.control = new Int32Array(sab, 0, CONTROL_INTS);
    this.width = columns * 2 + 1;
    this.slots = new Float64Array(sab, CONTROL_INTS * 4, RING * 2 * this.width);
  }

  /**
   * Publishes this side's standing after a batch (its own columns' entries; the others 0);
   * resolves with the other's after the same batch, or null when no spill can follow it.
   */
  readonly exchange = async (
    rows: number,
    standing: Float64Array,
  ): Promise<Float64Array | null> => {
    const b = this.batches++;
    const other = 1 - this.side;
    // The slot this batch takes was the other's to read RING batches ago: wait till it has.
    if (b >= RING - 1) await this.await((done, total) => done >= b - RING + 2 || total >= 0);
    const mine = this.slot(b, this.side);
    this.slots[mine] = rows;
    this.slots.set(standing.subarray(0, this.columns * 2), mine + 1);
    this.publish(DONE + this.side, b + 1);
    let kept = 0;
    for (let c = 0; c < this.columns; c++) kept += standing[2 * c];
    const done = Atomics.load(this.control, DONE + other);
    if (done <= b) {
      // At most one new value per row and column since the other's last standing.
      let bound = rows * this.theirColumns;
      if (done > 0) {
        const last = this.slot(done - 1, other);
        let theirs = 0;
        for (let c = 0; c < this.columns; c++) theirs += this.slots[last + 1 + 2 * c];
        bound = theirs + (rows - this.slots[last]) * this.theirColumns;
      }
      if (kept + bound <= this.cap) return null;
      await this.await((d, total) => d > b || (total >= 0 && total <= b));
      if (Atomics.load(this.control, DONE + other) <= b)
        throw new Error(
          `the two threads of the profile read different batches (${this.total(other)} there, more here)`,
        );
    }
    const theirs = this.slot(b, other);
    if (this.slots[theirs] !== rows)
      throw new Error(`the two threads of the profile read ${this.slots[theirs]} and ${rows} rows`);
    return this.slots.slice(theirs + 1, theirs + this.width);
  };

  /** Says this side read all its batches; throws when the other read more. */
  async finish(): Promise<void> {
    this.publish(TOTAL + this.side, this.batches);
    await this.await((done, total) => total >= 0 || done > this.batches);
    const theirs = this.total(1 - this.side);
    if (theirs !== this.batches)
      throw new Error(
        `the two threads of the profile read ${this.batches} and ${Atomics.load(this.control, DONE + 1 - this.side)} batches`,
      );
  }

  private total(side: number): number {
    return Atomics.load(this.control, TOTAL + side);
  }

  private slot(batch: number, side: number): number {
    return ((batch % RING) * 2 + side) * this.width;
  }

  private publish(index: number, value: number): void {
    Atomics.store(this.control, index, value);
    Atomics.add(this.control, SEQ + this.side, 1);
    Atomics.notify(this.control, SEQ + this.side);
  }

  /** Waits until `ready` holds of the other side's (done, total). */
  private async await(ready: (done: number, total: number) => boolean): Promise<void> {
    const other = 1 - this.side;
    for (;;) {
      const seq = Atomics.load(this.control, SEQ + other);
      if (ready(Atomics.load(this.control, DONE + other), this.total(other))) return;
      const e = this.failed();
      if (e) throw e;
      const w = waitAsync(this.control, SEQ + other, seq, CHECK_MS);
      if (!w.async) continue;
      // A pending waitAsync does not keep Node's event loop alive; a timer does, if it outlasts
      // the wait (one that fired first would let the thread end while the wait times out).
      const alive = setTimeout(() => {}, CHECK_MS * 4);
      await w.value;
      clearTimeout(alive);
    }
  }
}
