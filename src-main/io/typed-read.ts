/**
 * Reading a table back with its types: Sluice's own outputs (ISO dates, plain numbers) and
 * other CSVs used as join sides. A first pass infers each column's type over all rows; a
 * column becomes typed only when every value fits, so no value is lost in the conversion.
 */
import { convertText, textConversion } from '../engine/convert-text';
import { Profiler } from '../engine/profile';
import { concat, type Batch, type Column, type Field } from '../engine/table';
import { openCsv, SourceError, type CsvSource } from './csv-read';

export interface TypedColumn extends Field {
  formats?: string[];
}

/** The type of every column, from all rows of the file. */
export async function inferColumns(path: string): Promise<TypedColumn[]> {
  const src = await openCsv(path);
  const profiler = new Profiler(src.info.columns);
  for await (const b of src.batches(() => undefined)) profiler.add(b);
  return profiler.result().columns.map((c) => {
    const g = c.guess;
    const exact = g.confidence === 1 && g.type !== 'email';
    return {
      name: c.name,
      type: exact ? (g.type as Field['type']) : 'string',
      ...(g.formats ? { formats: g.formats } : {}),
    };
  });
}

/** Turns a text batch into one with the given column types. */
export function typeBatch(batch: Batch, columns: TypedColumn[]): Batch {
  const converters = columns.map((c) =>
    c.type === 'string' ? null : textConversion(c.type, c.formats),
  );
  const out: Column[] = batch.columns.map((col, i) => {
    const conv = converters[i];
    return conv && col.kind === 'text' ? convertText(col.values, batch.length, conv) : col;
  });
  return { ...batch, fields: columns.map(({ name, type }) => ({ name, type })), columns: out };
}

/** A whole CSV file as one typed batch (for join sides). */
export async function loadTypedTable(path: string): Promise<Batch> {
  const columns = await inferColumns(path);
  const src: CsvSource = await openCsv(path);
  const batches: Batch[] = [];
  const rejected: number[] = [];
  for await (const b of src.batches((r) => rejected.push(r.line)))
    batches.push(typeBatch(b, columns));
  if (rejected.length)
    throw new SourceError(
      `${rejected.length} rows cannot be read (first at line ${rejected[0]}); fix the file before joining with it`,
      path,
    );
  return concat(batches, columns);
}
