/**
 * Rows spilled to disk so any page of a large table can be read back without keeping the table
 * in memory. The file is a run of chunks, each one JSON array of columns (`[[a1, a2], [b1, b2]]`
 * holds rows [a1, b1] and [a2, b2]) on its own line: writing a column at a time is several times
 * cheaper than a row at a time, and reading a page parses only the chunks it falls in.
 * `<file>.idx` holds, as little-endian float64 pairs, each chunk's first row and byte offset,
 * then the row count and byte size of the whole.
 *
 * @example
 *   const w = new SpillWriter('/tmp/x/after.jsonl');
 *   w.addColumns([[12, 13], ['Lilly', 'Ann']]);
 *   w.finish();
 *   await readSpill('/tmp/x/after.jsonl', 1, 50); // [[13, 'Ann']]
 */
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Rows per chunk: small enough that a page parses little more than itself. */
export const CHUNK_ROWS = 256;
const FLUSH_BYTES = 1 << 20;

export class SpillWriter {
  private readonly fd: number;
  /** [first row, byte offset] of each chunk. */
  private index = new Float64Array(2048);
  private chunks = 0;
  private count = 0;
  private bytes = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private rowsBuffer: unknown[][] = [];
  private closed = false;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  get rows(): number {
    return this.count + this.rowsBuffer.length;
  }

  /** Adds rows given as columns of equal length (at most CHUNK_ROWS of them make one chunk). */
  addColumns(columns: unknown[][]): void {
    this.flushRows();
    this.chunk(columns);
  }

  /** Adds one row; rows added this way are gathered into chunks. */
  addRow(row: unknown[]): void {
    this.rowsBuffer.push(row);
    if (this.rowsBuffer.length === CHUNK_ROWS) this.flushRows();
  }

  private flushRows(): void {
    const rows = this.rowsBuffer;
    if (!rows.length) return;
    this.rowsBuffer = [];
    const width = Math.max(...rows.map((r) => r.length));
    this.chunk(Array.from({ length: width }, (_, c) => rows.map((r) => r[c] ?? null)));
  }

  private chunk(columns: unknown[][]): void {
    const n = columns[0]?.length ?? 0;
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const end = Math.min(n, start + CHUNK_ROWS);
      const part = n <= CHUNK_ROWS ? columns : columns.map((c) => c.slice(start, end));
      const text = JSON.stringify(part) + '\n';
      if (2 * this.chunks + 4 > this.index.length) {
        const grown = new Float64Array(this.index.length * 2);
        grown.set(this.index);
        this.index = grown;
      }
      this.index[2 * this.chunks] = this.count;
      this.index[2 * this.chunks + 1] = this.bytes;
      this.chunks++;
      this.count += end - start;
      const size = Buffer.byteLength(text);
      this.bytes += size;
      this.pending.push(text);
      this.pendingBytes += size;
      if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    }
  }

  private flush(): void {
    if (!this.pending.length) return;
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Writes what is buffered and the index; the spill can be read from then on. */
  finish(): void {
    this.flushRows();
    this.flush();
    this.closed = true;
    closeSync(this.fd);
    this.index[2 * this.chunks] = this.count;
    this.index[2 * this.chunks + 1] = this.bytes;
    const idx = openSync(`${this.file}.idx`, 'w');
    writeSync(idx, new Uint8Array(this.index.buffer, 0, (2 * this.chunks + 2) * 8));
    closeSync(idx);
  }

  /** Closes the file without an index (the spill is abandoned). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Rows `offset` to `offset + limit` of a spill (fewer at its end). */
export async function readSpill(file: string, offset: number, limit: number): Promise<unknown[][]> {
  return (await readSpillRuns(file, [[offset, limit]]))[0];
}

/** Several runs of consecutive rows of one spill, each as [first row, how many]. */
export async function readSpillRuns(
  file: string,
  runs: [number, number][],
): Promise<unknown[][][]> {
  const idxFile = await open(`${file}.idx`, 'r');
  let index: Float64Array;
  try {
    const size = (await idxFile.stat()).size;
    index = new Float64Array(size / 8);
    await idxFile.read(new Uint8Array(index.buffer), 0, size, 0);
  } finally {
    await idxFile.close();
  }
  const chunks = index.length / 2 - 1;
  const total = index[2 * chunks];
  /** The chunk holding row r. */
  const chunkOf = (r: number): number => {
    let lo = 0;
    let hi = chunks - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (index[2 * mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const data = await open(file, 'r');
  const parsed = new Map<number, unknown[][]>();
  const columnsOf = async (c: number): Promise<unknown[][]> => {
    let cols = parsed.get(c);
    if (!cols) {
      const from = index[2 * c + 1];
      const buf = Buffer.alloc(index[2 * c + 3] - from);
      await data.read(buf, 0, buf.length, from);
      cols = JSON.parse(buf.toString('utf8')) as unknown[][];
      parsed.set(c, cols);
    }
    return cols;
  };
  try {
    const out: unknown[][][] = [];
    for (const [first, count] of runs) {
      const rows: unknown[][] = [];
      const to = Math.min(first + count, total);
      for (let r = Math.max(0, first); r < to;) {
        const c = chunkOf(r);
        const cols = await columnsOf(c);
        const start = index[2 * c];
        const end = Math.min(to, index[2 * c + 2]);
        for (; r < end; r++) rows.push(cols.map((col) => col[r - start]));
      }
      out.push(rows);
    }
    return out;
  } finally {
    await data.close();
  }
}

/** Writes whole 32-bit integers to a file (an index kept beside spills). */
export function writeInts(file: string, values: Int32Array): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  } finally {
    closeSync(fd);
  }
}

/** Integers `from` to `from + count` of a file written by writeInts. */
export async function readInts(file: string, from: number, count: number): Promise<Int32Array> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size / 4;
    const n = Math.max(0, Math.min(count, size - from));
    const out = new Int32Array(n);
    if (n) await fh.read(new Uint8Array(out.buffer), 0, n * 4, from * 4);
    return out;
  } finally {
    await fh.close();
  }
}

/**
 * Where the first integer at least `v` sits in a file of ascending integers written by
 * writeInts: its index, or the count of integers when none is. A binary search, four bytes a probe.
 */
export async function firstAtLeast(file: string, v: number): Promise<number> {
  const fh = await open(file, 'r');
  try {
    const one = new Int32Array(1);
    const bytes = new Uint8Array(one.buffer);
    let lo = 0;
    let hi = (await fh.stat()).size / 4;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      await fh.read(bytes, 0, 4, mid * 4);
      if (one[0] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  } finally {
    await fh.close();
  }
}

/** Every chunk of a spill in order, as its columns and the number of its first row. */
export async function forEachChunk(
  file: string,
  fn: (columns: unknown[][], firstRow: number) => void,
): Promise<number> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let row = 0;
  for await (const line of lines) {
    if (!line) continue;
    const cols = JSON.parse(line) as unknown[][];
    fn(cols, row);
    row += cols[0]?.length ?? 0;
  }
  return row;
}
