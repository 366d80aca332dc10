/**
 * A PostgreSQL table or query as a source: its rows streamed through a cursor in batches of the
 * engine's columns, typed as a CSV source's columns are after inference (numbers as doubles,
 * dates as day numbers, timestamps as UTC milliseconds, booleans, everything else text). An
 * error names the connection, the table or query, and what the server said.
 */
import type pg from 'pg';
import { loadPg } from './pg-driver';
import type { ColumnType } from '../../src-shared/recipe/steps';
import { daysFromCivil, MS_PER_DAY } from '../engine/dates';
import { numColumn, textColumn, type Batch, type Column, type Field } from '../engine/table';
import type { CsvSource } from '../io/csv-read';
import { pgConfig, pgLabel } from './pg-config';

export interface PostgresSourceSpec {
  /** schema.table (or a table on the search path)... */
  table?: string;
  /** ...or a query whose rows are the source. */
  query?: string;
  /** The connection's name in messages ("default" is DATABASE_URL). */
  connection: string;
  url: string;
  password?: string;
}

/** The engine type of a PostgreSQL type (by OID); text for everything it does not know. */
const TYPE_OF_OID: Record<number, ColumnType> = {
  20: 'int', // bigint
  21: 'int', // smallint
  23: 'int', // integer
  26: 'int', // oid
  700: 'float', // real
  701: 'float', // double precision
  1700: 'decimal', // numeric
  16: 'boolean',
  1082: 'date',
  1114: 'datetime', // timestamp
  1184: 'datetime', // timestamptz, read in UTC
};

export class PostgresSourceError extends Error {}

export interface PostgresSource {
  fields: Field[];
  /** "table sales.orders on connection default (postgres://host:5432/db)" */
  label: string;
  stats: { rowsRead: number };
  /** The rows, in batches; the connection closes when the last one is read or on an error. */
  batches(batchSize?: number): AsyncGenerator<Batch>;
  close(): Promise<void>;
}

/** The SELECT a spec reads: a table (quoted per dotted part) or the query as it is written. */
export function sourceQuery(spec: Pick<PostgresSourceSpec, 'table' | 'query'>): string {
  if (spec.query !== undefined) return spec.query.replace(/;\s*$/, '');
  const parts = spec.table!.split('.').map((p) => '"' + p.replace(/"/g, '""') + '"');
  return `SELECT * FROM ${parts.join('.')}`;
}

/** "table sales.orders on connection default (postgres://host:5432/db)": `server` is pgLabel's. */
export function sourceLabel(
  spec: Pick<PostgresSourceSpec, 'table' | 'query' | 'connection'>,
  server: string,
): string {
  const what = spec.table !== undefined ? `table ${spec.table}` : `query "${spec.query}"`;
  return `${what} on connection ${spec.connection} (${server})`;
}

/** The relation the in-database engine reads a source as, in place (pg-engine.ts, explain). */
export function sourceRelation(spec: Pick<PostgresSourceSpec, 'table' | 'query'>): string {
  return `(${sourceQuery(spec)}) AS sluice_source`;
}

/** A source's columns from its server, no row fetched (what validate and explain check). */
export async function postgresSourceColumns(spec: PostgresSourceSpec): Promise<Field[]> {
  const src = await openPostgresSource(spec);
  await src.close();
  return src.fields;
}

/** Opens the source and reads its columns; nothing is fetched until `batches` is read. */
export async function openPostgresSource(spec: PostgresSourceSpec): Promise<PostgresSource> {
  const label = sourceLabel(spec, pgLabel(spec.url));
  const fail = (e: unknown): never => {
    throw new PostgresSourceError(`${label}: ${(e as Error).message}`);
  };
  const client = new (await loadPg()).Client(
    pgConfig(spec.url, spec.password, { connectionTimeoutMillis: 15_000 }),
  );
  client.on('error', () => undefined);
  await client.connect().catch(fail);
  let open = true;
  const close = async (): Promise<void> => {
    if (!open) return;
    open = false;
    await client.end().catch(() => undefined);
  };
  let fields: Field[];
  try {
    // Timestamps with a time zone come out in UTC; a read-only transaction holds the cursor.
    await client.query(`SET TIME ZONE 'UTC'; BEGIN READ ONLY`);
    const sql = sourceQuery(spec);
    const probe = await client.query({ text: `SELECT * FROM (${sql}) AS source LIMIT 0` });
    fields = fieldsOf(probe.fields);
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name)) throw new Error(`two columns are called "${f.name}"`);
      seen.add(f.name);
    }
    await client.query(`DECLARE sluice_source NO SCROLL CURSOR FOR ${sql}`);
  } catch (e) {
    await close();
    return fail(e);
  }
  const stats = { rowsRead: 0 };
  return {
    fields,
    label,
    stats,
    close,
    async *batches(batchSize = 16_384) {
      try {
        yield* fetchCursor(client, 'sluice_source', fields, stats, fail, batchSize);
        await client.query('COMMIT').catch(fail);
      } finally {
        await close();
      }
    },
  };
}

/** The engine's columns of a result's fields (by type OID; text for types it does not know). */
export function fieldsOf(fields: { name: string; dataTypeID: number }[]): Field[] {
  return fields.map((f) => ({ name: f.name, type: TYPE_OF_OID[f.dataTypeID] ?? 'string' }));
}

/** The rows of the open cursor `cursor` on `client`, in batches; `stats` counts them. */
export async function* fetchCursor(
  client: pg.Client,
  cursor: string,
  fields: Field[],
  stats: { rowsRead: number },
  fail: (e: unknown) => never,
  batchSize = 16_384,
): AsyncGenerator<Batch> {
  for (;;) {
    const r = await client
      .query({
        text: `FETCH FORWARD ${batchSize} FROM ${cursor}`,
        rowMode: 'array',
        types: { getTypeParser: () => (s: string) => s },
      })
      .catch(fail);
    if (r.rows.length === 0) return;
    const batch = toBatch(fields, r.rows as (string | null)[][], stats.rowsRead);
    stats.rowsRead += batch.length;
    yield batch;
  }
}

/** Rows of server text as a batch; `first` rows came before (line numbers count rows from 1). */
function toBatch(fields: Field[], rows: (string | null)[][], first: number): Batch {
  const n = rows.length;
  const columns: Column[] = fields.map((f, ci) => {
    if (f.type === 'string') return textColumn(rows.map((r) => r[ci]));
    const c = numColumn(n);
    const read = READ[f.type];
    for (let i = 0; i < n; i++) {
      const s = rows[i][ci];
      const v = s === null ? null : read(s);
      if (v === null) continue;
      c.values[i] = v;
      c.valid[i] = 1;
    }
    return c;
  });
  const line = Int32Array.from({ length: n }, (_, i) => first + i + 1);
  return { fields, columns, length: n, line, lineEnd: line.slice() };
}

const DATE = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/;
const STAMP = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?(?:[+-]\d\d(?::?\d\d)?)?( BC)?$/;

/** Server text to the engine's number for a typed column (null: infinity, which it cannot hold). */
const READ: Record<Exclude<ColumnType, 'string'>, (s: string) => number | null> = {
  int: Number,
  float: (s) => (s === 'NaN' ? null : Number(s)),
  decimal: (s) => (s === 'NaN' ? null : Number(s)),
  boolean: (s) => (s === 't' ? 1 : 0),
  date: (s) => {
    const m = DATE.exec(s);
    if (!m) return null;
    return daysFromCivil(m[4] ? 1 - +m[1] : +m[1], +m[2], +m[3]);
  },
  datetime: (s) => {
    const m = STAMP.exec(s);
    if (!m) return null;
    const y = m[8] ? 1 - +m[1] : +m[1];
    const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
    return (
      daysFromCivil(y, +m[2], +m[3]) * MS_PER_DAY +
      +m[4] * 3_600_000 +
      +m[5] * 60_000 +
      +m[6] * 1000 +
      ms
    );
  },
};

/**
 * The source as the runner reads a CSV source: typed batches, no rejects at reading (the server
 * already checked every value), the table or query where a file's path would be.
 */
/** What a run reports of a source that is no file: the server (and table) where its path would be. */
export function serverInfo(label: string, fields: Field[], reason: string): CsvSource['info'] {
  return {
    path: label,
    encoding: 'utf-8',
    encodingReason: reason,
    delimiter: ',',
    newline: '\n',
    header: true,
    columns: fields.map((f) => f.name),
    bytes: 0,
    compression: null,
    invalidBytes: 0,
    warnings: [],
  };
}

export function asRunSource(src: PostgresSource): CsvSource {
  const stats = { rowsRead: 0, rowsRejected: 0, blankLines: 0, bytesRead: 0 };
  return {
    info: serverInfo(src.label, src.fields, 'read from PostgreSQL'),
    stats,
    async *batches() {
      for await (const b of src.batches()) {
        stats.rowsRead = src.stats.rowsRead;
        yield b;
      }
    },
  };
}
