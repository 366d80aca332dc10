/**
 * A column's per-row codes for the key search (key-search.ts), in chunks of CHUNK rows: the
 * value's id while the column is exact (in 1, 2 or 4 bytes, each chunk as wide as its largest
 * id needs), its 64-bit hash once the column spilled. A spill does not rewrite the chunks
 * already written: it keeps each id's hash (`spilled`), and a chunk of ids is read through it.
 * Full chunks go to a CodeStore, which may keep them out of memory (io/code-file.ts writes
 * them to a temporary file); at ten million rows they are most of a profile's memory.
 */

export const CHUNK = 1 << 16;

/**
 * Where full chunks are kept: `put` takes the bytes and answers a handle `get` gives back,
 * read into `into` when the store copies them (its first `length` bytes; `into` may be reused).
 */
export interface CodeStore {
  put(bytes: Uint8Array): number;
  get(handle: number, length: number, into?: Uint8Array): Uint8Array;
  /**
   * Forgets what was put from `handle` on, so that later puts take its room again: the key
   * search's fingerprints, once a test is done (each test would otherwise add up to 8 bytes a
   * row to a profile's temporary file).
   */
  rewind?(handle: number): void;
}

/** Chunks kept in memory. */
export class MemoryCodes implements CodeStore {
  private readonly kept: Uint8Array[] = [];

  put(bytes: Uint8Array): number {
    this.kept.push(bytes);
    return this.kept.length - 1;
  }

  get(handle: number): Uint8Array {
    return this.kept[handle];
  }

  rewind(handle: number): void {
    this.kept.length = Math.min(this.kept.length, handle);
  }
}

/** How a chunk holds its codes: ids of 1, 2 or 4 bytes, or hashes (low halves, then high). */
export type ChunkKind = 1 | 2 | 4 | 8;

/** A full chunk, as its store keeps it. */
export interface SealedChunk {
  kind: ChunkKind;
  handle: number;
  length: number;
}

/** What crosses threads of a column's codes: plain data, the chunks' bytes in the store. */
export interface RowCodesData {
  sealed: SealedChunk[];
  open: { kind: ChunkKind; bytes: Uint8Array; rows: number };
  spilled: { lo: Int32Array; hi: Int32Array } | null;
}

type Ids = Uint8Array | Uint16Array | Int32Array;

export class RowCodes {
  private sealed: SealedChunk[] = [];
  private kind: ChunkKind = 1;
  private ids: Ids = new Uint8Array(CHUNK);
  private lo: Int32Array | null = null;
  private hi: Int32Array | null = null;
  /** Rows in the open chunk. */
  private n = 0;
  /** Once the column spilled: each id's hash, for the chunks of ids written before. */
  private spilled: { lo: Int32Array; hi: Int32Array } | null = null;
  /**
   * What `chunk` reads a sealed chunk into, reused from one chunk to the next: a key search
   * reads every chunk of a column once per test and pass, and a fresh buffer each time was
   * gigabytes of garbage at ten million rows.
   */
  private scratch: Uint8Array | null = null;
  private scratchHashes: Int32Array | null = null;

  constructor(private readonly store: CodeStore = new MemoryCodes()) {}

  /** Rebuilds codes sent from another thread, reading sealed chunks from `store`. */
  static from(data: RowCodesData, store: CodeStore): RowCodes {
    const c = new RowCodes(store);
    c.sealed = data.sealed;
    c.spilled = data.spilled;
    c.kind = data.open.kind;
    c.n = data.open.rows;
    const b = data.open.bytes;
    if (c.kind === 8) {
      const all = new Int32Array(b.buffer, b.byteOffset, CHUNK * 2);
      c.lo = all.subarray(0, CHUNK);
      c.hi = all.subarray(CHUNK);
    } else c.ids = view(c.kind, b);
    return c;
  }

  /** Whether codes are hashes (two halves per row): the column spilled. */
  get hashed(): boolean {
    return this.spilled !== null || this.kind === 8;
  }

  get rows(): number {
    return this.sealed.length * CHUNK + this.n;
  }

  pushId(id: number): void {
    if (this.kind === 8) {
      this.lo![this.n] = this.spilled!.lo[id];
      this.hi![this.n] = this.spilled!.hi[id];
    } else {
      if (id > 255 && this.kind === 1) this.widen(2);
      if (id > 65535 && this.kind === 2) this.widen(4);
      this.ids[this.n] = id;
    }
    if (++this.n === CHUNK) this.seal();
  }

  pushHash(lo: number, hi: number): void {
    if (this.kind !== 8) this.toHashes();
    this.lo![this.n] = lo;
    this.hi![this.n] = hi;
    if (++this.n === CHUNK) this.seal();
  }

  /** The column spilled: ids so far are read as these hashes (by id) from now on. */
  spill(lo: Int32Array, hi: Int32Array): void {
    this.spilled = { lo, hi };
    this.toHashes();
  }

  /**
   * Chunk `i`'s codes: ids, or the hashes' low and high halves; read until the next call (its
   * arrays are reused).
   */
  chunk(i: number): { lo: ArrayLike<number>; hi: ArrayLike<number> | null; rows: number } {
    if (i === this.sealed.length) {
      if (this.kind === 8) return { lo: this.lo!, hi: this.hi!, rows: this.n };
      return this.read(this.ids, this.n);
    }
    const s = this.sealed[i];
    if (!this.scratch || this.scratch.length < s.length) this.scratch = new Uint8Array(CHUNK * 8);
    const bytes = this.store.get(s.handle, s.length, this.scratch);
    if (s.kind === 8) {
      const all = new Int32Array(bytes.buffer, bytes.byteOffset, CHUNK * 2);
      return { lo: all.subarray(0, CHUNK), hi: all.subarray(CHUNK), rows: CHUNK };
    }
    return this.read(view(s.kind, bytes), CHUNK);
  }

  /** Chunks (the last one open, maybe empty). */
  get chunks(): number {
    return this.sealed.length + 1;
  }

  /** The codes as plain data, and the buffers to move with them. */
  data(): { data: RowCodesData; transfer: ArrayBuffer[] } {
    const open = this.kind === 8 ? this.lo! : this.ids;
    const bytes = new Uint8Array(open.buffer, 0, open.buffer.byteLength);
    const transfer = [open.buffer as ArrayBuffer];
    if (this.spilled)
      transfer.push(this.spilled.lo.buffer as ArrayBuffer, this.spilled.hi.buffer as ArrayBuffer);
    return {
      data: {
        sealed: this.sealed,
        open: { kind: this.kind, bytes, rows: this.n },
        spilled: this.spilled,
      },
      transfer,
    };
  }

  private read(
    ids: Ids,
    rows: number,
  ): { lo: ArrayLike<number>; hi: ArrayLike<number> | null; rows: number } {
    if (!this.spilled) return { lo: ids, hi: null, rows };
    const both = (this.scratchHashes ??= new Int32Array(CHUNK * 2));
    const lo = both.subarray(0, rows);
    const hi = both.subarray(CHUNK, CHUNK + rows);
    for (let r = 0; r < rows; r++) {
      lo[r] = this.spilled.lo[ids[r]];
      hi[r] = this.spilled.hi[ids[r]];
    }
    return { lo, hi, rows };
  }

  private widen(kind: 2 | 4): void {
    const ids = kind === 2 ? new Uint16Array(CHUNK) : new Int32Array(CHUNK);
    ids.set(this.ids.subarray(0, this.n));
    this.ids = ids;
    this.kind = kind;
  }

  /** Turns the open chunk into hashes (the column spilled, or a hash came first). */
  private toHashes(): void {
    if (this.kind === 8) return;
    // Both halves in one buffer, so that a sealed chunk is one put.
    const all = new Int32Array(CHUNK * 2);
    this.lo = all.subarray(0, CHUNK);
    this.hi = all.subarray(CHUNK);
    if (this.spilled)
      for (let r = 0; r < this.n; r++) {
        this.lo[r] = this.spilled.lo[this.ids[r]];
        this.hi[r] = this.spilled.hi[this.ids[r]];
      }
    this.kind = 8;
    this.ids = new Uint8Array(0);
  }

  private seal(): void {
    const open = this.kind === 8 ? this.lo! : this.ids;
    const bytes = new Uint8Array(open.buffer, 0, open.buffer.byteLength);
    this.sealed.push({ kind: this.kind, handle: this.store.put(bytes), length: bytes.length });
    this.n = 0;
    // A new chunk starts narrow again unless the column holds hashes now.
    if (this.hashed) {
      this.kind = 1;
      this.toHashes();
    } else {
      this.kind = 1;
      this.ids = new Uint8Array(CHUNK);
    }
  }
}

function view(kind: 1 | 2 | 4, b: Uint8Array): Ids {
  const off = b.byteOffset;
  if (kind === 1) return new Uint8Array(b.buffer, off, CHUNK);
  if (kind === 2) return new Uint16Array(b.buffer, off, CHUNK);
  return new Int32Array(b.buffer, off, CHUNK);
}
