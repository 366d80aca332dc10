/** Makes the sink for each output kind of a recipe. */
import type { Output } from '../../src-shared/recipe/pipeline';
import { CsvSink } from './csv-sink';
import { PostgresSink } from './postgres-sink';
import { SqliteSink } from './sqlite-sink';
import { SinkError, type RejectRecordFn, type RejectRow, type Sink } from './sink';

export interface SinkContext {
  /** An output file's absolute path: relative to the project, checked against where recipes may write. */
  place(path: string): string;
  /** The project's own database, for sqlite outputs without a path. */
  defaultDatabase: string;
  /** PostgreSQL connection URLs by name (without passwords). */
  connections: Record<string, { url: string }>;
  /** Passwords by connection name from the desktop app's keychain (the environment wins). */
  passwords?: Record<string, string>;
  runId: string;
  pipeline: string;
  reject: RejectRow;
  rejectRecord: RejectRecordFn;
  /** Notes for the run's log. */
  log?(message: string): void;
  /** The load retries rows refused earlier in the same run (sluice rejects --retry). */
  retry?: boolean;
}

/**
 * The URL and password of a named connection: "default" is DATABASE_URL; a password comes
 * from SLUICE_PASSWORD_<NAME>, else the desktop app's keychain, else PostgreSQL's own
 * PGPASSWORD; never from a recipe.
 */
export function connectionFor(
  name: string,
  ctx: Pick<SinkContext, 'connections' | 'passwords'>,
): { url: string; password?: string } {
  const password =
    process.env[`SLUICE_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] ??
    ctx.passwords?.[name];
  if (ctx.connections[name]) return { url: ctx.connections[name].url, password };
  if (name === 'default') {
    const url = process.env.DATABASE_URL;
    if (!url)
      throw new SinkError(
        'no PostgreSQL connection: set DATABASE_URL, or name a connection in sluice.yaml',
      );
    return { url, password };
  }
  throw new SinkError(
    `no connection named "${name}" in sluice.yaml (there are: ${Object.keys(ctx.connections).join(', ') || 'none'})`,
  );
}

export function createSink(o: Output, ctx: SinkContext): Sink {
  const at = ctx.place;
  switch (o.kind) {
    case 'csv':
      return new CsvSink(at(o.path), {
        delimiter: o.delimiter,
        formulaProtection: o.formula_protection,
      });
    case 'sqlite':
      return new SqliteSink(
        o.path ? at(o.path) : ctx.defaultDatabase,
        o,
        ctx.reject,
        ctx.rejectRecord,
      );
    case 'postgres':
      return new PostgresSink(
        o,
        {
          ...connectionFor(o.connection, ctx),
          runId: ctx.runId,
          pipeline: ctx.pipeline,
          log: ctx.log,
          retry: ctx.retry,
        },
        ctx.reject,
        ctx.rejectRecord,
      );
  }
}
