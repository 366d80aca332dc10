/**
 * The rows of a full PostgreSQL load that COPY sends straight into the target, kept on disk as
 * well. If the database refuses one row, the whole COPY fails; the load then replays the kept
 * rows into the staging table, with each row's number and source line, and finds the refused
 * rows there as a staged load does. The file holds the COPY text as sent; a second file holds
 * each row's source line (4 bytes a row), so memory stays flat however many rows load.
 *
 * Files are sluice-copy-<pid>-<thread id>-<random>.txt (and .lines) in the temporary folder, so
 * that the leftovers of a killed process can be told apart from a live load's.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type pg from 'pg';
import { isProcessAlive, removeFilesNobodyNeeds } from '../io/pid';
import { loadCopyStreams } from './pg-driver';

const SPILL = /^sluice-copy-(\d+)-(\d+)-[0-9a-f]+\.(txt|lines)$/;

/**
 * Deletes the spill files of loads that will never finish: those of dead processes, or with
 * `thread`, this process's ones of that (terminated) worker thread. Returns their paths.
 */
export function removeStaleSpills(dir = tmpdir(), thread?: number): string[] {
  return removeFilesNobodyNeeds(dir, SPILL, (m) =>
    thread === undefined
      ? !isProcessAlive(Number(m[1]))
      : Number(m[1]) === process.pid && Number(m[2]) === thread,
  );
}

/** Bytes read per step when the rows are replayed. */
const REPLAY_CHUNK = 1 << 20;

export class CopySpill {
  private readonly path: string;
  private readonly text: number;
  private readonly lines: number;
  /** Rows kept so far. */
  rows = 0;
  private removed = false;

  constructor(dir = tmpdir()) {
    this.path = join(
      dir,
      `sluice-copy-${process.pid}-${threadId}-${randomBytes(6).toString('hex')}`,
    );
    this.text = openSync(`${this.path}.txt`, 'w+');
    this.lines = openSync(`${this.path}.lines`, 'w+');
  }

  /** Keeps rows: their COPY text (one line each) and their source lines, in the same order. */
  keep(text: string, lines: Int32Array): void {
    writeSync(this.text, text);
    writeSync(this.lines, lines);
    this.rows += lines.length;
  }

  /**
   * Sends the kept rows to `copySql` (a COPY ... FROM STDIN whose last two columns take the
   * row's number, from 1, and its source line).
   */
  async replay(client: pg.Client, copySql: string): Promise<void> {
    const lineBytes = readFileSync(`${this.path}.lines`);
    const stream = client.query((await loadCopyStreams()).from(copySql));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    done.catch(() => undefined);
    const buf = Buffer.alloc(REPLAY_CHUNK);
    let carry = '';
    let row = 0;
    for (let at = 0; ;) {
      const n = readSync(this.text, buf, 0, REPLAY_CHUNK, at);
      if (n === 0) break;
      at += n;
      // Rows end at a newline (one inside a value is escaped in COPY text), and a newline byte
      // is never part of a longer UTF-8 character, so the bytes before it decode whole.
      const end = buf.lastIndexOf(10, n - 1);
      if (end < 0) {
        carry += buf.toString('utf8', 0, n);
        continue;
      }
      const rows = (carry + buf.toString('utf8', 0, end)).split('\n');
      carry = buf.toString('utf8', end + 1, n);
      let out = '';
      for (const r of rows) {
        row++;
        out += `${r}\t${row}\t${lineBytes.readInt32LE((row - 1) * 4)}\n`;
      }
      if (!stream.write(out))
        await Promise.race([new Promise((r) => stream.once('drain', r)), done]);
    }
    stream.end();
    await done;
  }

  /** Deletes the files. */
  remove(): void {
    if (this.removed) return; // a descriptor closed twice could be another file's by then
    this.removed = true;
    for (const fd of [this.text, this.lines])
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    rmSync(`${this.path}.txt`, { force: true });
    rmSync(`${this.path}.lines`, { force: true });
  }
}
