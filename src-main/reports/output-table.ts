/**
 * A run's outputs as the window lists and opens them: files (CSV, typed as their values allow)
 * and SQLite tables, a page at a time in any column's order. A CSV is read once and kept while
 * it is unchanged (the last two opened), so paging and sorting cost no second read.
 */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import type { OutputReport } from '../../src-shared/recipe/result';
import { formatIsoDate, formatIsoDateTime } from '../engine/dates';
import { formatNumber } from '../engine/format';
import { cellValue, type Batch, type Value } from '../engine/table';
import { csvRow } from '../io/csv-write';
import { loadTypedTable } from '../io/typed-read';
import { openSqlite } from '../sqlite/open';

export interface OutputPage {
  columns: { name: string; type: string }[];
  rows: Value[][];
  total: number;
}

export interface PageRequest {
  offset: number;
  limit: number;
  sort?: string;
  desc?: boolean;
}

/** Why an output cannot be opened in the window, or null when it can (a server is asked then). */
export function whyNotOpen(o: OutputReport): string | null {
  if (o.kind === 'csv') return existsSync(o.path) ? null : 'the file is no longer there';
  if (o.kind === 'sqlite')
    return existsSync(o.path) ? null : 'the database file is no longer there';
  // A PostgreSQL table: its server is asked when it is opened.
  return null;
}

/** A file's size and time, or nulls when it is gone. */
export function fileFacts(path: string): { bytes: number | null; modified: string | null } {
  try {
    const st = statSync(path);
    return { bytes: st.size, modified: st.mtime.toISOString() };
  } catch {
    return { bytes: null, modified: null };
  }
}

interface Loaded {
  key: string;
  table: Batch;
  /** Row order by column and direction, computed once each. */
  orders: Map<string, Uint32Array>;
}
const cache: Loaded[] = [];

async function loadCsv(path: string): Promise<Loaded> {
  const st = statSync(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  const hit = cache.find((c) => c.key === key);
  if (hit) return hit;
  const loaded = { key, table: await loadTypedTable(path), orders: new Map() };
  cache.unshift(loaded);
  cache.length = Math.min(cache.length, 2);
  return loaded;
}

const compare = (a: Value, b: Value): number => {
  // Empty cells last, whichever the direction.
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'string' || typeof b === 'string')
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  return (a as number) - (b as number);
};

function orderOf(l: Loaded, column: number, desc: boolean): Uint32Array {
  const id = `${column}:${desc}`;
  const had = l.orders.get(id);
  if (had) return had;
  const t = l.table;
  const col = t.columns[column];
  const type = t.fields[column].type;
  const values = Array.from({ length: t.length }, (_, i) => cellValue(col, type, i));
  const idx = Uint32Array.from({ length: t.length }, (_, i) => i);
  idx.sort((a, b) => {
    const va = values[a];
    const vb = values[b];
    if (va === null || vb === null) return compare(va, vb) || a - b;
    return (desc ? -compare(va, vb) : compare(va, vb)) || a - b;
  });
  l.orders.set(id, idx);
  return idx;
}

/** A page of a CSV output, typed, in the order asked. */
export async function csvPage(path: string, q: PageRequest): Promise<OutputPage> {
  const l = await loadCsv(path);
  const t = l.table;
  const sortAt = q.sort === undefined ? -1 : t.fields.findIndex((f) => f.name === q.sort);
  if (q.sort !== undefined && sortAt < 0) throw new RangeError(`there is no column "${q.sort}"`);
  const order = sortAt < 0 ? null : orderOf(l, sortAt, q.desc === true);
  const rows: Value[][] = [];
  const end = Math.min(t.length, q.offset + q.limit);
  for (let k = q.offset; k < end; k++) {
    const i = order ? order[k] : k;
    rows.push(t.columns.map((c, j) => shown(cellValue(c, t.fields[j].type, i), t.fields[j].type)));
  }
  return { columns: t.fields.map((f) => ({ name: f.name, type: f.type })), rows, total: t.length };
}

/** A cell as the window shows it: dates and times as ISO text, as the CSV has them. */
function shown(v: Value, type: string): Value {
  if (typeof v !== 'number') return v;
  if (type === 'date') return formatIsoDate(v);
  if (type === 'datetime') return formatIsoDateTime(v);
  return v;
}

const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A page of a table in a SQLite database, opened read-only. */
export function sqlitePage(file: string, table: string, q: PageRequest): OutputPage {
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  try {
    const info = db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as {
      name: string;
      type: string;
    }[];
    if (info.length === 0) throw new RangeError(`there is no table "${table}" in ${file}`);
    if (q.sort !== undefined && !info.some((c) => c.name === q.sort))
      throw new RangeError(`there is no column "${q.sort}"`);
    const total = (db.prepare(`SELECT count(*) AS n FROM ${ident(table)}`).get() as { n: number })
      .n;
    const order =
      q.sort === undefined
        ? 'rowid'
        : `${ident(q.sort)} IS NULL, ${ident(q.sort)} ${q.desc ? 'DESC' : 'ASC'}, rowid`;
    const rows = db
      .prepare(`SELECT * FROM ${ident(table)} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .raw()
      .all(q.limit, q.offset) as Value[][];
    return {
      columns: info.map((c) => ({ name: c.name, type: c.type.toLowerCase() || 'any' })),
      rows: rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v))),
      total,
    };
  } finally {
    db.close();
  }
}

/** Writes a SQLite table to `csvPath` as CSV with a header row, as Sluice writes its CSVs. */
export function sqliteToCsv(file: string, table: string, csvPath: string): void {
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  const out = openSync(csvPath, 'w');
  try {
    const names = (
      db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]
    ).map((c) => c.name);
    if (names.length === 0) throw new RangeError(`there is no table "${table}" in ${file}`);
    let buf = csvRow(names);
    for (const row of db
      .prepare(`SELECT * FROM ${ident(table)}`)
      .raw()
      .iterate() as Iterable<unknown[]>) {
      buf += csvRow(
        row.map((v) =>
          typeof v === 'number'
            ? formatNumber(v)
            : typeof v === 'bigint'
              ? v.toString()
              : (v as string | null),
        ),
      );
      if (buf.length > 1 << 20) {
        writeSync(out, buf);
        buf = '';
      }
    }
    writeSync(out, buf);
  } finally {
    closeSync(out);
    db.close();
  }
}
