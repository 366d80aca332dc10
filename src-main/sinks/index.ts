/** Makes the sink for each output kind of a recipe. */
import { isAbsolute, join, resolve } from 'node:path';
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
  /** PostgreSQL connection URLs by name (without passwords): sluice.yaml's and the saved ones. */
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
 * from SLUICE_PASSWORD_<NAME>, else the desktop app's keychain, else the URL's own (pg-config),
 * else PostgreSQL's own PGPASSWORD; never from a recipe.
 */
export function connectionFor(
  name: string,
  ctx: Pick<SinkContext, 'connections' | 'passwords'>,
): { url: string; password?: string } {
  const password =
    process.env[`SLUICE_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] ??
    (ctx.passwords && Object.hasOwn(ctx.passwords, name) ? ctx.passwords[name] : undefined);
  // Own keys only: a connection called "constructor" is not Object.prototype's.
  if (Object.hasOwn(ctx.connections, name)) return { url: ctx.connections[name].url, password };
  if (name === 'default') {
    const url = process.env.DATABASE_URL;
    if (!url)
      throw new SinkError(
        'no PostgreSQL connection: set DATABASE_URL, or name a connection in sluice.yaml',
      );
    return { url, password };
  }
  throw new SinkError(
    `no connection named "${name}" in sluice.yaml or your saved connections (there are: ${Object.keys(ctx.connections).join(', ') || 'none'}); a saved connection wins over sluice.yaml's of the same name`,
  );
}

/** The SQLite database of a project, for sqlite outputs without a path: out/<name>.sqlite. */
export function defaultDatabaseOf(projectDir: string, projectName: string): string {
  return join(projectDir, 'out', `${projectName}.sqlite`);
}

interface TargetContext {
  projectDir: string;
  defaultDatabase: string;
  connections: SinkContext['connections'];
}

/**
 * What an output writes, in words, and as a key that is equal for two outputs writing the same
 * thing (SQLite table names compare without case, as SQLite does).
 */
export function outputTarget(o: Output, ctx: TargetContext): { name: string; key: string } {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(ctx.projectDir, p));
  switch (o.kind) {
    case 'csv': {
      const path = at(o.path);
      const fold = process.platform === 'win32' || process.platform === 'darwin';
      return { name: `CSV file ${path}`, key: `csv\0${fold ? path.toLowerCase() : path}` };
    }
    case 'sqlite': {
      const file = o.path ? at(o.path) : ctx.defaultDatabase;
      return {
        name: `SQLite table ${o.table} in ${file}`,
        key: `sqlite\0${file}\0${o.table.toLowerCase()}`,
      };
    }
    case 'postgres': {
      const url =
        (Object.hasOwn(ctx.connections, o.connection)
          ? ctx.connections[o.connection].url
          : undefined) ??
        (o.connection === 'default' ? process.env.DATABASE_URL : undefined) ??
        o.connection;
      return {
        name: `PostgreSQL table ${o.schema}.${o.table} (connection ${o.connection})`,
        key: `postgres\0${url}\0${o.schema}\0${o.table}`,
      };
    }
  }
}

/**
 * The first two outputs of a pipeline that write the same table or file, as a message; null if
 * there are none. Loads into one table wait for each other, so a pipeline doing both would wait
 * for itself; and one file cannot hold two outputs.
 */
export function sameTarget(
  pipeline: { name: string; outputs: Output[] },
  ctx: TargetContext,
): string | null {
  const seen = new Map<string, number>();
  for (const [i, o] of pipeline.outputs.entries()) {
    const t = outputTarget(o, ctx);
    const first = seen.get(t.key);
    if (first !== undefined)
      return `outputs ${first + 1} and ${i + 1} of pipeline ${pipeline.name} both write ${t.name}: each table or file takes one output of a pipeline`;
    seen.set(t.key, i);
  }
  return null;
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
