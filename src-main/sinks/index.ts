/** Makes the sink for each output kind of a recipe. */
import { isAbsolute, resolve } from 'node:path';
import type { Output } from '../../src-shared/recipe/pipeline';
import { CsvSink } from './csv-sink';
import { SqliteSink } from './sqlite-sink';
import type { RejectRow, Sink } from './sink';

export interface SinkContext {
  projectDir: string;
  /** The project's own database, for sqlite outputs without a path. */
  defaultDatabase: string;
  reject: RejectRow;
}

export function createSink(o: Output, ctx: SinkContext): Sink {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(ctx.projectDir, p));
  switch (o.kind) {
    case 'csv':
      return new CsvSink(at(o.path), {
        delimiter: o.delimiter,
        formulaProtection: o.formula_protection,
      });
    case 'sqlite':
      return new SqliteSink(o.path ? at(o.path) : ctx.defaultDatabase, o, ctx.reject);
  }
}
