/**
 * CSV output: UTF-8, RFC 4180 quoting, ISO 8601 dates, '.' decimals. Text cells that a
 * spreadsheet would run as a formula (starting with = + - @ tab or CR) get a leading
 * apostrophe unless protection is off; numbers are never touched. The file appears only when
 * complete: rows go to a temporary file that is renamed on commit and deleted on abort.
 *
 * Writes are synchronous on purpose: the engine pushes batches synchronously, and writing each
 * batch as it comes lets it be freed at once instead of queueing behind an async write.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Batch } from '../engine/table';
import { formatValue } from '../engine/format';
import { formatIsoDate } from '../engine/dates';
import { csvCell } from '../../src-shared/csv';
import { isProcessAlive, removeFilesNobodyNeeds } from './pid';

export { csvCell, csvRow } from '../../src-shared/csv';

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
  private dateCache = new Map<number, string>();
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
    const { delimiter: d, protect, newline } = this;
    const n = batch.length;
    const ncols = batch.columns.length;
    const cells: string[][] = batch.columns.map((col, ci) => {
      const type = batch.fields[ci].type;
      const out = new Array<string>(n);
      if (col.kind === 'text') {
        for (let i = 0; i < n; i++) {
          const v = col.values[i];
          out[i] = v === null ? '' : csvCell(v, d, protect);
        }
      } else if (type === 'date') {
        for (let i = 0; i < n; i++) out[i] = col.valid[i] ? this.isoDate(col.values[i]) : '';
      } else {
        for (let i = 0; i < n; i++) out[i] = col.valid[i] ? formatValue(type, col.values[i]) : '';
      }
      return out;
    });
    let chunk = '';
    for (let i = 0; i < n; i++) {
      let line = cells[0][i];
      for (let c = 1; c < ncols; c++) line += d + cells[c][i];
      chunk += line + newline;
      if (chunk.length > 1 << 20) {
        writeSync(this.fd, chunk);
        chunk = '';
      }
    }
    if (chunk) writeSync(this.fd, chunk);
    this.rows += n;
  }

  private isoDate(days: number): string {
    let s = this.dateCache.get(days);
    if (s === undefined) {
      s = formatIsoDate(days);
      if (this.dateCache.size < 100_000) this.dateCache.set(days, s);
    }
    return s;
  }

  /** Makes the file appear under its name, complete. */
  commit(): void {
    if (this.fd === null) throw new Error('CsvWriter.commit before open');
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
