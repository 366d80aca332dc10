/**
 * Reading a table a run loaded into PostgreSQL back, for the window's Outputs view: a page in a
 * column's order, or the whole table as CSV (COPY … TO STDOUT, streamed to a file).
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { loadCopyStreams, loadPg } from './pg-driver';
import { pgConfig, pgLabel } from './pg-config';
import { qualified, quoteIdent } from './sql';

export interface PgTable {
  url: string;
  password?: string;
  schema: string;
  table: string;
}

const nameOf = (t: PgTable): string => qualified(t.schema, t.table);

/** Runs `f` with a client connected to `t`'s server; says where when it cannot connect. */
async function withClient<T>(t: PgTable, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new (await loadPg()).Client(
    pgConfig(t.url, t.password, { connectionTimeoutMillis: 15_000 }),
  );
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`cannot connect to PostgreSQL at ${pgLabel(t.url)}: ${(e as Error).message}`);
  }
  try {
    return await f(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The table's columns and types, in order; an error naming it when it is not there. */
async function columnsOf(c: pg.Client, t: PgTable): Promise<{ name: string; type: string }[]> {
  const r = await c.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [t.schema, t.table],
  );
  if (r.rows.length === 0)
    throw new RangeError(`there is no table ${t.schema}.${t.table} at ${pgLabel(t.url)}`);
  return r.rows;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A value as JSON can carry it: dates as ISO text, other objects as JSON text. */
function plain(v: unknown, isDate: boolean): string | number | boolean | null {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    return v;
  if (v instanceof Date)
    // pg reads a date column as local midnight: its local parts are the date.
    return isDate
      ? `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`
      : v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  return JSON.stringify(v);
}

/** A page of the table: `limit` rows from `offset`, in `sort`'s order (empty values last). */
export function pgPage(
  t: PgTable,
  q: { offset: number; limit: number; sort?: string; desc?: boolean },
): Promise<{
  columns: { name: string; type: string }[];
  rows: (string | number | boolean | null)[][];
  total: number;
}> {
  return withClient(t, async (c) => {
    const columns = await columnsOf(c, t);
    if (q.sort !== undefined && !columns.some((x) => x.name === q.sort))
      throw new RangeError(`there is no column "${q.sort}"`);
    const total = Number(
      (await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${nameOf(t)}`)).rows[0].n,
    );
    const order =
      q.sort === undefined
        ? ''
        : ` ORDER BY ${quoteIdent(q.sort)} ${q.desc ? 'DESC' : 'ASC'} NULLS LAST`;
    const r = await c.query({
      text: `SELECT * FROM ${nameOf(t)}${order} LIMIT $1 OFFSET $2`,
      values: [q.limit, q.offset],
      rowMode: 'array',
    });
    const dates = columns.map((x) => x.type === 'date');
    const rows = (r.rows as unknown[][]).map((row) => row.map((v, i) => plain(v, dates[i])));
    return { columns, rows, total };
  });
}

/** Writes the whole table to `file` as CSV with a header row. */
export function pgToCsv(t: PgTable, file: string): Promise<void> {
  return withClient(t, async (c) => {
    await columnsOf(c, t);
    const stream = c.query(
      (await loadCopyStreams()).to(
        `COPY (SELECT * FROM ${nameOf(t)}) TO STDOUT WITH (FORMAT csv, HEADER true)`,
      ),
    );
    await pipeline(stream, createWriteStream(file));
  });
}
