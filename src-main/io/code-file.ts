/**
 * The per-row codes of a profile's key search (engine/row-codes.ts) in a temporary file rather
 * than in memory: at ten million rows they are a quarter of a gigabyte. Chunks are written
 * once, as they fill, and read back (from the page cache, mostly) when the key search runs.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { CodeStore } from '../engine/row-codes';

export class CodeFile implements CodeStore {
  private fd: number;
  private size = 0;

  /** `write`: a new file at `path` (replaced if there); else an existing one, to read. */
  constructor(
    readonly path: string,
    write: boolean,
  ) {
    this.fd = openSync(path, write ? 'w+' : 'r');
  }

  put(bytes: Uint8Array): number {
    const at = this.size;
    let done = 0;
    while (done < bytes.length)
      done += writeSync(this.fd, bytes, done, bytes.length - done, at + done);
    this.size += bytes.length;
    return at;
  }

  get(handle: number, length: number, into?: Uint8Array): Uint8Array {
    // At offset 0 of its buffer (fresh or the caller's), aligned for Int32Array views on it.
    const b =
      into && into.length >= length && into.byteOffset === 0 ? into : new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, b, done, length - done, handle + done);
      if (n === 0) throw new Error(`${this.path}: the key search's codes end early`);
      done += n;
    }
    return b;
  }

  rewind(handle: number): void {
    this.size = Math.min(this.size, handle);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Closes and deletes the file. */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}
