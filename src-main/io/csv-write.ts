/**
 * CSV output: UTF-8, RFC 4180 quoting, ISO 8601 dates, '.' decimals. Text cells that a
 * spreadsheet would run as a formula (starting with = + - @ tab or CR) get a leading
 * apostrophe unless protection is off; numbers are never touched. The file appears only when
 * complete: rows go to a temporary file that is renamed on commit and deleted on abort.
 *
 * Rows are encoded as bytes into one reused buffer (csv-encode.ts), which is written out
 * whenever it holds a megabyte, and at commit. Writes are synchronous on purpose: the engine
 * pushes batches synchronously, and encoding each batch as it comes lets it be freed at once.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Batch } from '../engine/table';
import { CsvEncoder } from './csv-encode';
import { csvCell } from '../../src-shared/csv';
import { isProcessAlive, removeFilesNobodyNeeds } from './pid';

export { csvCell, csvRow } from '../../src-shared/csv';

/** Encoded bytes gathered before a write. */
const FLUSH_BYTES = 1 << 20;

export interface CsvWriteOptions {
  delimiter?: string;
  formulaProtection?: boolean;
  newline?: string;
}

export class CsvWriter {
  private fd: number | null = null;
  private readonly tmp: string;
  private readonly delimiter: string;
  private readonly protect: boolean;
  private readonly newline: string;
  private readonly enc: CsvEncoder;
  rows = 0;

  constructor(
    readonly path: string,
    opts: CsvWriteOptions = {},
  ) {
    // Unique per writer: runs of one pipeline side by side never share a temporary file. The
    // process id in it tells the next run whether the writer is gone (see removeStaleTemps).
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
    this.delimiter = opts.delimiter ?? ',';
    this.protect = opts.formulaProtection ?? true;
    this.newline = opts.newline ?? '\n';
    this.enc = new CsvEncoder(this.delimiter, this.protect, this.newline);
  }

  open(header: string[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    removeStaleTemps(dirname(this.path));
    this.fd = openSync(this.tmp, 'w');
    const line = header.map((h) => csvCell(h, this.delimiter, this.protect)).join(this.delimiter);
    writeSync(this.fd, line + this.newline);
  }

  write(batch: Batch): void {
    if (this.fd === null) throw new Error('CsvWriter.write before open');
    for (let i = 0; i < batch.length;) {
      i = this.enc.rows(batch, i, FLUSH_BYTES);
      if (this.enc.length >= FLUSH_BYTES) this.flushBuffer();
    }
    this.rows += batch.length;
  }

  /** Rows already encoded as CSV lines elsewhere (a server's COPY), written as they are. */
  writeEncoded(lines: Buffer, rows: number): void {
    if (this.fd === null) throw new Error('CsvWriter.writeEncoded before open');
    this.flushBuffer();
    for (let done = 0; done < lines.length;)
      done += writeSync(this.fd, lines, done, lines.length - done);
    this.rows += rows;
  }

  private flushBuffer(): void {
    const { enc } = this;
    for (let done = 0; done < enc.length;)
      done += writeSync(this.fd!, enc.buf, done, enc.length - done);
    enc.clear();
  }

  /** Makes the file appear under its name, complete. */
  commit(): void {
    if (this.fd === null) throw new Error('CsvWriter.commit before open');
    this.flushBuffer();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tmp, this.path);
  }

  /** Leaves nothing behind. */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    this.fd = null;
    this.enc.clear();
    rmSync(this.tmp, { force: true });
  }
}

/** A CSV writer's temporary file: .<name>.<pid>.<uuid, or a time in older versions>.tmp */
const TEMP = /^\.(.+)\.(\d+)\.([0-9a-f-]{36}|\d+)\.tmp$/;

/**
 * Deletes the temporary files in `dir` of CSV writers whose process is gone (killed before it
 * could commit or abort), so an interrupted run leaves nothing behind after the next one.
 * Returns the paths removed. Files of live processes are theirs: they may still commit; only
 * with `of` (a file name) are this process's own ones of that file removed, once its writer
 * is known to be gone (a terminated worker thread).
 */
export function removeStaleTemps(dir: string, of?: string): string[] {
  // With `of`: this process's temporary files of that file (its writer was stopped).
  return removeFilesNobodyNeeds(dir, TEMP, (m) =>
    of === undefined ? !isProcessAlive(Number(m[2])) : m[1] === of && Number(m[2]) === process.pid,
  );
}
