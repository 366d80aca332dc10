/**
 * Loads rows into a table of a SQLite database: full (replace), append, upsert (insert new
 * keys, update changed rows, or ignore existing ones) and incremental (new and changed rows by
 * key, or only rows past the last load's watermark).
 *
 * Rows are checked as they arrive (LoadChecks, and values that do not fit an existing column's
 * type) and staged in a private scratch database; at commit they move into the target in one
 * write transaction. So pipelines loading the same database file run side by side and hold its
 * write lock only while their rows move; a killed process leaves the table as it was, and
 * readers never see it half loaded. A row the database refuses (unique, check, not null,
 * foreign key) fails alone, as SQLite undoes only the failing statement; it is rejected
 * (on_violation: skip) or stops the load and rolls everything back (stop). Identifiers are
 * quoted; values always travel as parameters.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { SqliteOutput } from '../../src-shared/recipe/pipeline';
import type { ColumnType } from '../../src-shared/recipe/steps';
import type { OutputReport } from '../../src-shared/recipe/result';
import { formatIsoDateTime } from '../engine/dates';
import type { Batch, Field } from '../engine/table';
import { isProcessAlive, removeFilesNobodyNeeds } from '../io/pid';
import { openSqlite, type SqliteDatabase, type SqliteStatement } from '../sqlite/open';
import { LoadChecks, newCounts, nulByte, refuseRow } from './checks';
import { IsoDays } from './iso-days';
import { SinkError, type RejectRecordFn, type RejectRow, type Sink } from './sink';
import { quoteIdent } from './sql';

const SQL_TYPE: Record<ColumnType, string> = {
  int: 'INTEGER',
  float: 'REAL',
  decimal: 'REAL',
  boolean: 'INTEGER',
  date: 'TEXT',
  datetime: 'TEXT',
  string: 'TEXT',
};

/** How long a load waits for another load's commit to the same file before it fails. */
const LOCK_WAIT_MS = 10 * 60_000;

type SqlValue = string | number | null;

/**
 * Rows per staging statement: one INSERT of many rows costs far less than a statement per
 * row. Bounded by SQLite's 32,766 parameters: 2,730 rows of the bench's 11 columns and line,
 * whose staging took 12% less CPU than in statements of 128 rows (1.16 against 1.32 s, medians
 * of 7 alternated loads of 1M rows).
 */
const STAGE_ROWS = 4096;
const MAX_PARAMS = 32_766;

/** INSERT INTO s of `rows` rows of `width` values each. */
const stageInsertSql = (rows: number, width: number): string => {
  const row = `(${new Array<string>(width).fill('?').join(', ')})`;
  return `INSERT INTO s VALUES ${new Array<string>(rows).fill(row).join(', ')}`;
};

/**
 * Scratch databases are sluice-stage-<pid>-<thread id>-<random>.db in the temporary folder:
 * the process and thread that load tell whether anyone still needs them.
 */
const STAGE = /^sluice-stage-(\d+)-(?:(\d+)-)?[0-9a-f]+\.db(-journal|-wal|-shm)?$/;
const stageName = (random: string): string =>
  `sluice-stage-${process.pid}-${threadId}-${random}.db`;

/**
 * Deletes scratch databases left by loads that will never finish: those of dead processes, or
 * with `thread`, this process's ones of that (terminated) worker thread. Returns their paths.
 */
export function removeStaleStages(dir = tmpdir(), thread?: number): string[] {
  return removeFilesNobodyNeeds(dir, STAGE, (m) =>
    thread === undefined
      ? !isProcessAlive(Number(m[1]))
      : Number(m[1]) === process.pid && Number(m[2]) === thread,
  );
}

export class SqliteSink implements Sink {
  private db: SqliteDatabase | null = null;
  private stage: { db: SqliteDatabase; path: string; insert: SqliteStatement } | null = null;
  /** Rows checked and waiting for the next staging statement, row after row, and their count. */
  private pending: SqlValue[] = [];
  private pendingRows = 0;
  private stageRows = STAGE_ROWS;
  private readonly days = new IsoDays();
  private fields: Field[] = [];
  private checks: LoadChecks | null = null;
  private expect: ('int' | 'real' | 'any')[] = [];
  private counts = newCounts();
  private staged = 0;
  /** Per column: the existing target column is NOT NULL. */
  private notNull: boolean[] = [];

  constructor(
    readonly path: string,
    private readonly out: SqliteOutput,
    private readonly reject: RejectRow,
    private readonly rejectRecord: RejectRecordFn,
  ) {}

  open(fields: Field[]): void {
    try {
      this.prepare(fields);
    } catch (e) {
      this.close(); // no connection or scratch file is left behind by a failed start
      throw e;
    }
  }

  private prepare(fields: Field[]): void {
    const o = this.out;
    this.fields = fields;
    new LoadChecks(o, fields); // names a key or watermark that is not an output column
    mkdirSync(dirname(this.path), { recursive: true });
    const db = (this.db = openSqlite(this.path, { timeout: LOCK_WAIT_MS }));
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const table = quoteIdent(o.table);
    const cols = fields.map((f) => quoteIdent(f.name));
    const pk = o.key ? `, PRIMARY KEY (${o.key.map(quoteIdent).join(', ')})` : '';
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (${fields.map((f, i) => `${cols[i]} ${SQL_TYPE[f.type]}`).join(', ')}${pk})`,
    );
    const existing = db
      .prepare(`SELECT name, type, "notnull" AS required, dflt_value FROM pragma_table_info(?)`)
      .all(o.table) as { name: string; type: string; required: number; dflt_value: unknown }[];
    const byName = new Map(existing.map((c) => [c.name, c.type.toUpperCase()]));
    for (const f of fields)
      if (!byName.has(f.name))
        throw new SinkError(`table ${o.table} in ${this.path} has no column "${f.name}"`);
    // A NOT NULL column without a default that the pipeline does not write refuses every row.
    const unfed = existing.filter(
      (c) => c.required && c.dflt_value === null && !fields.some((f) => f.name === c.name),
    );
    if (unfed.length)
      throw new SinkError(
        `table ${o.table} in ${this.path} has NOT NULL column${unfed.length > 1 ? 's' : ''} ${unfed.map((c) => `"${c.name}"`).join(', ')} without a default, which the pipeline does not write`,
      );
    this.notNull = fields.map((f) => existing.some((c) => c.name === f.name && c.required));
    this.expect = fields.map((f) => {
      const t = byName.get(f.name)!;
      return t.includes('INT') ? 'int' : /REAL|FLOA|DOUB|NUM|DEC/.test(t) ? 'real' : 'any';
    });
    db.exec(
      `CREATE TABLE IF NOT EXISTS sluice_watermarks (target TEXT PRIMARY KEY, value REAL NOT NULL)`,
    );
    const mark = o.watermark
      ? (db.prepare(`SELECT value FROM sluice_watermarks WHERE target = ?`).get(o.table) as
          { value: number } | undefined)
      : undefined;
    this.checks = new LoadChecks(o, fields, mark?.value ?? null);
    // The scratch database: no journal, no syncing; it is thrown away after the load. Only this
    // load opens it, so it locks once rather than per statement; it is written once and read
    // once in order, so large pages and a larger cache mean fewer pages to fill and walk.
    const path = join(tmpdir(), stageName(randomBytes(6).toString('hex')));
    const sdb = openSqlite(path);
    sdb.pragma('journal_mode = OFF');
    sdb.pragma('synchronous = OFF');
    sdb.pragma('locking_mode = EXCLUSIVE');
    sdb.pragma('page_size = 65536');
    sdb.pragma('cache_size = -32768');
    // Each staged row keeps its line, which names a refused row.
    const names = [...fields.map((_, i) => `c${i}`), 'line'];
    sdb.exec(`CREATE TABLE s (${names.join(', ')})`);
    this.stageRows = Math.max(1, Math.min(STAGE_ROWS, Math.floor(MAX_PARAMS / names.length)));
    this.pending = new Array<SqlValue>(this.stageRows * names.length).fill(null);
    const insert = sdb.prepare(stageInsertSql(this.stageRows, names.length));
    sdb.exec('BEGIN');
    this.stage = { db: sdb, path, insert };
  }

  write(batch: Batch): void {
    const stage = this.stage;
    if (!stage || !this.checks) throw new SinkError('SqliteSink.write before open');
    const admit = this.checks.admitter(batch, this.counts, (row, rule, reason) =>
      refuseRow(this.out, this.counts, this.reject, batch, row, rule, reason),
    );
    const n = this.fields.length;
    const width = n + 1;
    const pending = this.pending;
    for (let i = 0; i < batch.length; i++) {
      if (!admit(i)) continue;
      const at = this.pendingRows * width;
      const misfit = this.cells(batch, i, pending, at);
      if (misfit) {
        refuseRow(this.out, this.counts, this.reject, batch, i, ...misfit);
        continue;
      }
      pending[at + n] = batch.line[i];
      this.staged++;
      if (++this.pendingRows === this.stageRows) {
        stage.insert.run(pending);
        this.pendingRows = 0;
      }
    }
  }

  /**
   * Puts row i's values into `into` from `at` on, as SQLite takes them; or says why the row
   * does not fit the table.
   */
  private cells(
    batch: Batch,
    i: number,
    into: SqlValue[],
    at: number,
  ): [rule: string, reason: string] | null {
    const fields = this.fields;
    for (let c = 0; c < fields.length; c++) {
      const col = batch.columns[c];
      let v: SqlValue;
      if (col.kind === 'text') {
        v = col.values[i];
        if (v !== null && v.includes('\0'))
          return [
            'nul_byte',
            nulByte(
              fields[c].name,
              "SQLite's text functions stop at (refused as PostgreSQL loads refuse it)",
            ),
          ];
      } else if (col.valid[i] === 0) v = null;
      else {
        const x = col.values[i];
        const t = fields[c].type;
        v = t === 'date' ? this.days.text(x) : t === 'datetime' ? formatIsoDateTime(x) : x;
      }
      if (v === null) {
        if (this.notNull[c])
          return ['not_null', `${fields[c].name} is null, and the column is NOT NULL`];
      } else {
        const want = this.expect[c];
        if (want !== 'any' && (typeof v !== 'number' || (want === 'int' && !Number.isInteger(v))))
          return [
            'type_mismatch',
            `${fields[c].name}: ${JSON.stringify(v)} does not fit a ${want === 'int' ? 'whole-number' : 'number'} column`,
          ];
      }
      into[at + c] = v;
    }
    return null;
  }

  /** Stages the rows still waiting for a full staging statement. */
  private stagePending(stage: { db: SqliteDatabase }): void {
    const rows = this.pendingRows;
    if (rows === 0) return;
    const width = this.fields.length + 1;
    stage.db.prepare(stageInsertSql(rows, width)).run(this.pending.slice(0, rows * width));
    this.pendingRows = 0;
  }

  /** Moves the staged rows into the target in one write transaction. */
  commit(): OutputReport {
    const db = this.db;
    const stage = this.stage;
    if (!db || !stage) throw new SinkError('SqliteSink.commit before open');
    this.stagePending(stage);
    stage.db.exec('COMMIT');
    const o = this.out;
    const table = quoteIdent(o.table);
    const cols = this.fields.map((f) => quoteIdent(f.name));
    const keyIdx = this.checks!.keyCols;
    const otherIdx = this.fields.flatMap((_, i) => (keyIdx.includes(i) ? [] : [i]));
    const insert = db.prepare(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    );
    const upsert = o.mode === 'upsert' || (o.mode === 'incremental' && o.key !== undefined);
    const where = (o.key ?? []).map((k) => `${quoteIdent(k)} = ?`).join(' AND ');
    const others = otherIdx.map((i) => cols[i]);
    const exists = upsert ? db.prepare(`SELECT 1 FROM ${table} WHERE ${where}`) : null;
    const update =
      upsert && o.on_conflict === 'update' && others.length
        ? db.prepare(
            `UPDATE ${table} SET ${others.map((c) => `${c} = ?`).join(', ')} WHERE ${where} ` +
              `AND (${others.map((c) => `${c} IS NOT ?`).join(' OR ')})`,
          )
        : null;
    stage.db.close(); // its rows are read through the target's connection from here on
    db.prepare('ATTACH DATABASE ? AS sluice_stage').run(stage.path);
    db.exec('BEGIN IMMEDIATE');
    if (o.mode === 'full') db.exec(`DELETE FROM ${table}`);
    // One set-based statement moves every row; only if the database refuses some does the
    // move go row by row, so each refused row fails alone.
    const picked = this.fields.map((_, i) => `c${i}`).join(', ');
    const conflict = !upsert
      ? ''
      : update
        ? ` ON CONFLICT (${keyIdx.map((i) => cols[i]).join(', ')}) DO UPDATE SET ${others.map((c) => `${c} = excluded.${c}`).join(', ')} ` +
          `WHERE (${others.map((c) => `${table}.${c}`).join(', ')}) IS NOT (${others.map((c) => `excluded.${c}`).join(', ')})`
        : ` ON CONFLICT (${keyIdx.map((i) => cols[i]).join(', ')}) DO NOTHING`;
    const countRows = (): number =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    db.exec('SAVEPOINT sluice_bulk');
    let bulk = true;
    try {
      const before = update ? countRows() : 0;
      const changes = db
        .prepare(
          `INSERT INTO ${table} (${cols.join(', ')}) SELECT ${picked} FROM sluice_stage.s WHERE true ORDER BY rowid${conflict}`,
        )
        .run().changes;
      const inserted = update ? countRows() - before : changes;
      this.counts.inserted += inserted;
      this.counts.updated += changes - inserted;
      this.counts.unchanged += this.staged - changes;
      db.exec('RELEASE sluice_bulk');
    } catch (e) {
      if (!(e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw e;
      db.exec('ROLLBACK TO sluice_bulk');
      db.exec('RELEASE sluice_bulk');
      bulk = false;
    }
    if (!bulk) this.moveRowByRow(db, insert, exists, update, keyIdx, otherIdx);
    const high = this.checks?.newHighWater ?? null;
    if (high !== null)
      db.prepare(
        `INSERT INTO sluice_watermarks (target, value) VALUES (?, ?) ON CONFLICT(target) DO UPDATE SET value = excluded.value`,
      ).run(o.table, high);
    db.exec('COMMIT');
    this.close();
    const c = this.counts;
    return {
      kind: 'sqlite',
      path: this.path,
      table: o.table,
      rows: c.rows,
      inserted: c.inserted,
      updated: c.updated,
      unchanged: c.unchanged,
      rejected: c.rejected,
      skipped: c.skipped,
    };
  }

  /** Moves the staged rows one by one (in pages), so each row the database refuses fails alone. */
  private moveRowByRow(
    db: SqliteDatabase,
    insert: SqliteStatement,
    exists: SqliteStatement | null,
    update: SqliteStatement | null,
    keyIdx: number[],
    otherIdx: number[],
  ): void {
    const o = this.out;
    const n = this.fields.length;
    // Paged, because a statement cannot run on a connection while it iterates another.
    const page = db.prepare(
      'SELECT rowid, * FROM sluice_stage.s WHERE rowid > ? ORDER BY rowid LIMIT 10000',
    );
    for (let after = 0; ;) {
      const rows = page.raw().all(after) as SqlValue[][];
      if (rows.length === 0) return;
      after = rows[rows.length - 1][0] as number;
      for (const row of rows) {
        const values = row.slice(1, n + 1);
        try {
          const keys = keyIdx.map((c) => values[c]);
          if (exists && exists.get(...keys)) {
            const rest = otherIdx.map((c) => values[c]);
            if (update && update.run(...rest, ...keys, ...rest).changes) this.counts.updated++;
            else this.counts.unchanged++;
          } else {
            insert.run(...values);
            this.counts.inserted++;
          }
        } catch (e) {
          const err = e as { code?: string; message: string };
          if (!err.code?.startsWith('SQLITE_CONSTRAINT')) throw e;
          const rule = err.code.replace('SQLITE_CONSTRAINT_', '').toLowerCase() || 'constraint';
          const line = row[n + 1] as number;
          if (o.on_violation === 'stop')
            throw new SinkError(
              `${o.table}: the row on line ${line} was refused (${rule}): ${err.message}`,
            );
          this.counts.rejected++;
          const record = Object.fromEntries(this.fields.map((f, i) => [f.name, values[i]]));
          this.rejectRecord({ line, record }, rule, `${o.table}: ${err.message}`);
        }
      }
    }
  }

  private close(): void {
    try {
      if (this.db?.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      this.db?.close();
      this.db = null;
      if (this.stage) {
        if (this.stage.db.open) this.stage.db.close();
        rmSync(this.stage.path, { force: true });
        this.stage = null;
      }
    }
  }

  abort(): void {
    this.close();
  }
}
