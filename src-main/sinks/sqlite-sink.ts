/**
 * Loads rows into a table of a SQLite database: full (replace), append, upsert (insert new
 * keys, update changed rows, or ignore existing ones) and incremental (new and changed rows by
 * key, or only rows past the last load's watermark). The whole load is one transaction: a
 * killed process leaves the table as it was, and readers never see it half loaded. Identifiers
 * are quoted; values always travel as parameters.
 *
 * Before a row is loaded it is checked (LoadChecks, and values that do not fit an existing
 * column's type). A row the database refuses (unique, check, not null, foreign key) fails
 * alone, as SQLite undoes only the failing statement; it is rejected (on_violation: skip) or
 * stops the load and rolls everything back (stop).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteOutput } from '../../src-shared/recipe/pipeline';
import type { ColumnType } from '../../src-shared/recipe/steps';
import type { OutputReport } from '../../src-shared/recipe/result';
import { formatIsoDate, formatIsoDateTime } from '../engine/dates';
import { rawValue, type Batch, type Field } from '../engine/table';
import { LoadChecks, newCounts, refuseRow } from './checks';
import { SinkError, type RejectRow, type Sink } from './sink';

/** "Order Number" -> "Order Number", a"b -> "a""b": always quoted, so any name works. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

const SQL_TYPE: Record<ColumnType, string> = {
  int: 'INTEGER',
  float: 'REAL',
  decimal: 'REAL',
  boolean: 'INTEGER',
  date: 'TEXT',
  datetime: 'TEXT',
  string: 'TEXT',
};

type SqlValue = string | number | null;

export class SqliteSink implements Sink {
  private db: Database.Database | null = null;
  private fields: Field[] = [];
  private checks: LoadChecks | null = null;
  private expect: ('int' | 'real' | 'any')[] = [];
  private stmt: {
    insert: Database.Statement;
    exists?: Database.Statement;
    update?: Database.Statement;
  } | null = null;
  private counts = newCounts();

  constructor(
    readonly path: string,
    private readonly out: SqliteOutput,
    private readonly reject: RejectRow,
  ) {}

  open(fields: Field[]): void {
    const o = this.out;
    this.fields = fields;
    new LoadChecks(o, fields); // names a key or watermark that is not an output column
    mkdirSync(dirname(this.path), { recursive: true });
    const db = (this.db = new Database(this.path, { timeout: 10_000 }));
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const table = quoteIdent(o.table);
    const cols = fields.map((f) => quoteIdent(f.name));
    const pk = o.key ? `, PRIMARY KEY (${o.key.map(quoteIdent).join(', ')})` : '';
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (${fields.map((f, i) => `${cols[i]} ${SQL_TYPE[f.type]}`).join(', ')}${pk})`,
    );
    const existing = db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(o.table) as {
      name: string;
      type: string;
    }[];
    const byName = new Map(existing.map((c) => [c.name, c.type.toUpperCase()]));
    for (const f of fields)
      if (!byName.has(f.name))
        throw new SinkError(`table ${o.table} in ${this.path} has no column "${f.name}"`);
    this.expect = fields.map((f) => {
      const t = byName.get(f.name)!;
      return t.includes('INT') ? 'int' : /REAL|FLOA|DOUB|NUM|DEC/.test(t) ? 'real' : 'any';
    });
    db.exec(
      `CREATE TABLE IF NOT EXISTS sluice_watermarks (target TEXT PRIMARY KEY, value REAL NOT NULL)`,
    );
    // One write transaction for the whole load, taken now so no other writer slips in.
    db.exec('BEGIN IMMEDIATE');
    if (o.mode === 'full') db.exec(`DELETE FROM ${table}`);
    const mark = o.watermark
      ? (db.prepare(`SELECT value FROM sluice_watermarks WHERE target = ?`).get(o.table) as
          { value: number } | undefined)
      : undefined;
    this.checks = new LoadChecks(o, fields, mark?.value ?? null);
    const params = cols.map(() => '?').join(', ');
    const insert = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${params})`);
    const upsert = o.mode === 'upsert' || (o.mode === 'incremental' && o.key !== undefined);
    if (!upsert) {
      this.stmt = { insert };
      return;
    }
    const where = o.key!.map((k) => `${quoteIdent(k)} = ?`).join(' AND ');
    const others = fields.filter((f) => !o.key!.includes(f.name)).map((f) => quoteIdent(f.name));
    this.stmt = {
      insert,
      exists: db.prepare(`SELECT 1 FROM ${table} WHERE ${where}`),
      update:
        o.on_conflict === 'update' && others.length
          ? db.prepare(
              `UPDATE ${table} SET ${others.map((c) => `${c} = ?`).join(', ')} WHERE ${where} ` +
                `AND (${others.map((c) => `${c} IS NOT ?`).join(' OR ')})`,
            )
          : undefined,
    };
  }

  write(batch: Batch): void {
    const stmt = this.stmt;
    if (!this.db || !stmt || !this.checks) throw new SinkError('SqliteSink.write before open');
    const admit = this.checks.admitter(batch, this.counts, (row, rule, reason) =>
      this.refuse(batch, row, rule, reason),
    );
    const keyIdx = this.checks.keyCols;
    const otherIdx = this.fields.flatMap((_, i) => (keyIdx.includes(i) ? [] : [i]));
    const values: SqlValue[] = new Array(this.fields.length);
    for (let i = 0; i < batch.length; i++) {
      if (!admit(i)) continue;
      let misfit: string | null = null;
      for (let c = 0; c < this.fields.length; c++) {
        const v = this.sqlValue(batch, c, i);
        const want = this.expect[c];
        if (
          v !== null &&
          want !== 'any' &&
          (typeof v !== 'number' || (want === 'int' && !Number.isInteger(v)))
        ) {
          misfit = `${this.fields[c].name}: ${JSON.stringify(v)} does not fit a ${want === 'int' ? 'whole-number' : 'number'} column`;
          break;
        }
        values[c] = v;
      }
      if (misfit) {
        this.refuse(batch, i, 'type_mismatch', misfit);
        continue;
      }
      try {
        const keys = keyIdx.map((c) => values[c]);
        if (stmt.exists && stmt.exists.get(...keys)) {
          const rest = otherIdx.map((c) => values[c]);
          if (stmt.update && stmt.update.run(...rest, ...keys, ...rest).changes)
            this.counts.updated++;
          else this.counts.unchanged++;
        } else {
          stmt.insert.run(...values);
          this.counts.inserted++;
        }
      } catch (e) {
        const err = e as { code?: string; message: string };
        if (!err.code?.startsWith('SQLITE_CONSTRAINT')) throw e;
        this.refuse(
          batch,
          i,
          err.code.replace('SQLITE_CONSTRAINT_', '').toLowerCase() || 'constraint',
          err.message,
        );
      }
    }
  }

  private refuse(batch: Batch, row: number, rule: string, reason: string): void {
    refuseRow(this.out, this.counts, this.reject, batch, row, rule, reason);
  }

  private sqlValue(batch: Batch, c: number, i: number): SqlValue {
    const v = rawValue(batch.columns[c], i);
    if (v === null || typeof v === 'string') return v;
    const t = this.fields[c].type;
    return t === 'date' ? formatIsoDate(v) : t === 'datetime' ? formatIsoDateTime(v) : v;
  }

  commit(): OutputReport {
    const db = this.db;
    if (!db) throw new SinkError('SqliteSink.commit before open');
    const high = this.checks?.newHighWater ?? null;
    if (high !== null)
      db.prepare(
        `INSERT INTO sluice_watermarks (target, value) VALUES (?, ?) ON CONFLICT(target) DO UPDATE SET value = excluded.value`,
      ).run(this.out.table, high);
    db.exec('COMMIT');
    db.close();
    this.db = null;
    const c = this.counts;
    return {
      kind: 'sqlite',
      path: this.path,
      table: this.out.table,
      rows: c.rows,
      inserted: c.inserted,
      updated: c.updated,
      unchanged: c.unchanged,
      rejected: c.rejected,
      skipped: c.skipped,
    };
  }

  abort(): void {
    if (!this.db) return;
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      this.db.close();
      this.db = null;
    }
  }
}
