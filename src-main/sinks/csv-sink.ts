/** The CSV output as a sink. */
import type { OutputReport } from '../../src-shared/recipe/result';
import type { Batch, Field } from '../engine/table';
import { CsvWriter, type CsvWriteOptions } from '../io/csv-write';
import type { Sink } from './sink';

export class CsvSink implements Sink {
  private readonly writer: CsvWriter;
  constructor(path: string, opts: CsvWriteOptions) {
    this.writer = new CsvWriter(path, opts);
  }
  open(fields: Field[]): void {
    this.writer.open(fields.map((f) => f.name));
  }
  write(batch: Batch): void {
    this.writer.write(batch);
  }
  /** CSV lines made elsewhere (engine: postgres streams them with COPY), in the file's format. */
  writeEncoded(lines: Buffer, rows: number): void {
    this.writer.writeEncoded(lines, rows);
  }
  commit(): OutputReport {
    this.writer.commit();
    return { kind: 'csv', path: this.writer.path, rows: this.writer.rows };
  }
  abort(): void {
    this.writer.abort();
  }
}
