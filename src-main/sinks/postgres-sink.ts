/**
 * Loads rows into a PostgreSQL table. Rows stream with COPY into a temporary staging table;
 * then one set-based statement per mode moves them into the target, all in one transaction:
 * full (delete and insert: readers keep seeing the old rows until commit), append, upsert
 * (INSERT ... ON CONFLICT, updating only rows that differ, counted apart from new ones) and
 * incremental (by key, or rows past the watermark kept in sluice_watermarks).
 *
 * A full load that finds the table free (no other load holds its lock) skips the staging: it
 * deletes the old rows and COPYs straight into the target under a savepoint, which writes
 * every row once instead of twice and lets the server insert while rows are still being
 * encoded. The rows are kept on disk as they go (postgres-spill.ts); should the database
 * refuse one, the COPY fails whole, is rolled back to the savepoint, and the kept rows are
 * replayed into staging, where the load goes on as a staged one, refused rows named by line.
 *
 * The schema, the target table and the bookkeeping tables are created first, in a short
 * transaction of their own under an advisory lock per schema, so that pipelines making their
 * first load into a new schema side by side do not trip over each other's CREATE. Rows are
 * staged side by side too; the move into the target waits for an advisory lock per table, held
 * until commit, so two loads into one table run one after the other instead of deleting and
 * inserting through each other (both locks in postgres-locks.ts).
 *
 * When the database refuses rows (unique, foreign key, check, not null), the refused rows are
 * found by bisecting the staged rows under savepoints, not by going row by row; with
 * on_violation: skip they are rejected (into the run store and the sluice_rejects table) and
 * the rest load; with stop everything rolls back. The search is bounded (MAX_SAVEPOINTS).
 * The SQL itself is in postgres-sql.ts (pure, tested without a database), the type mapping in
 * postgres-types.ts. Connect and statement timeouts are set.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { from as copyFrom } from 'pg-copy-streams';
import { loadCopyStreams, loadPg } from './pg-driver';
import type { PostgresOutput } from '../../src-shared/recipe/pipeline';
import type { OutputReport } from '../../src-shared/recipe/result';
import { rawValue, rowRecord, type Batch, type Field } from '../engine/table';
import { LoadChecks, newCounts, nulByte, REASON, refuseRow } from './checks';
import { IsoDays } from './iso-days';
import {
  beforeMoveSql,
  copyNumber,
  copyText,
  countedMoveSql,
  createSql,
  directCopySql,
  insertRejectsSql,
  markRetriedSql,
  raiseWatermarkSql,
  selectWatermarkSql,
  SKIP_PAST_MARK_SQL,
  STAGED_ROW_SQL,
  stageSql,
} from './postgres-sql';
import { createUnderLock, lockTable, STATEMENT_TIMEOUT_MS, tryLockTable } from './postgres-locks';
import { CopySpill } from './postgres-spill';
import { fitCheck, PG_ERRORS } from './postgres-types';
import { targetColumns } from './postgres-target';
import { pgConfig, pgLabel, tableLabel } from './pg-config';
import { SinkError, type RejectRecordFn, type RejectRow, type Sink } from './sink';

export interface PostgresTarget {
  url: string;
  password?: string;
  runId: string;
  pipeline: string;
  /** Notes for the run's log (batches, timings). */
  log?(message: string): void;
  /**
   * Set when this load retries rows refused in an earlier load of the run: refused rows are
   * not recorded again, and the ones that load are marked retried in sluice_rejects.
   */
  retry?: boolean;
}

/** A value that does not fit the existing target column, as a refusal. */
const misfit = (
  column: string,
  v: string | number,
  type: string,
): [rule: string, reason: string] => ['type_mismatch', REASON.misfit(column, v, type)];

/** Rows per COPY chunk: one engine batch. */
export const COPY_BATCH_ROWS = 2048;

/**
 * The most savepoints one load uses to find the rows the database refuses. Each savepoint that
 * loaded rows keeps a slot of the server's shared lock table until commit (there are
 * max_locks_per_transaction x max_connections, 6,400 by default, for every client together),
 * and each costs round trips; an unbounded search over a load the database refuses wholesale
 * ran for minutes and ended in "out of shared memory" for everyone. About 2 x log2(rows)
 * savepoints find one refused row, so this isolates some dozens to hundreds of them.
 */
export const MAX_SAVEPOINTS = 2000;

/** The hash kept with a refused record in sluice_rejects: of its JSON with keys sorted. */
export function recordHash(record: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}

interface PgReject {
  error_type: string;
  message: string;
  record: Record<string, unknown>;
  record_hash: string;
}

/** An error by which the database refuses a row (integrity or data), not a failed load. */
export const refusal = (e: { code?: string }): boolean =>
  e.code?.startsWith('23') === true || e.code?.startsWith('22') === true;

/**
 * The one row the server refused (found by halving a move): stops the load, naming its line,
 * with on_violation: stop; else its rule, and the note that names the first refusal.
 */
export function serverRefusal(
  out: { table: string; on_violation: 'skip' | 'stop' },
  line: number,
  err: { code?: string; message: string },
): { rule: string; note: string } {
  const rule = PG_ERRORS[err.code ?? ''] ?? `sqlstate_${err.code}`;
  if (out.on_violation === 'stop')
    throw new SinkError(
      `${out.table}: the row on line ${line} was refused (${rule}): ${err.message}`,
    );
  return { rule, note: `on line ${line} (${rule}): ${err.message}` };
}

export class PostgresSink implements Sink {
  private client: pg.Client | null = null;
  private copy: ReturnType<typeof copyFrom> | null = null;
  private copyDone: Promise<void> | null = null;
  private fields: Field[] = [];
  private checks: LoadChecks | null = null;
  /** Per column, a check that a value fits the existing target column (null: anything fits). */
  private fits: ({ type: string; ok(v: string | number): boolean } | null)[] = [];
  private staged = 0;
  /** Per column: the existing target column is NOT NULL. */
  private notNull: boolean[] = [];
  private pending: Promise<void> | null = null;
  /**
   * Batches taken but not yet encoded: flush encodes them one at a time and hands each to the
   * COPY, so the server stores one batch while the next is encoded. (Encoding every batch as
   * it came let a step that holds every row, dedupe say, hand the whole load over in one go:
   * the server then waited for all of it, and the encoding for nothing.)
   */
  private queued: Batch[] = [];
  private counts = newCounts();
  private batches = 0;
  private copyMs = 0;
  private startedAt = 0;
  /** Rows refused in this load, for sluice_rejects (written in the load's transaction). */
  private refused: PgReject[] = [];
  /** The watermark column's index, or -1. */
  private wmCol = -1;
  /** Savepoints used so far to find refused rows (at most MAX_SAVEPOINTS). */
  private savepoints = 0;
  /** The first row the database refused, for the message when the search gives up. */
  private firstRefused: string | null = null;
  /** Set while a full load COPYs straight into the target: its rows, kept for a replay. */
  private spill: CopySpill | null = null;
  /** Why the database refused the direct COPY (it is then replayed into staging). */
  private directRefused: Error | null = null;
  private readonly days = new IsoDays();
  private readonly day = (d: number): string => this.days.text(d);

  constructor(
    private readonly out: PostgresOutput,
    private readonly target: PostgresTarget,
    private readonly reject: RejectRow,
    private readonly rejectRecord: RejectRecordFn,
  ) {}

  /** What the load writes, for people: the server and database (decoded), then the table. */
  get path(): string {
    return tableLabel(this.target.url, this.out);
  }

  async open(fields: Field[]): Promise<void> {
    const o = this.out;
    this.fields = fields;
    new LoadChecks(o, fields); // names a key or watermark that is not an output column
    let client: pg.Client;
    try {
      client = new (await loadPg()).Client(
        pgConfig(this.target.url, this.target.password, {
          connectionTimeoutMillis: 10_000,
          statement_timeout: STATEMENT_TIMEOUT_MS,
          query_timeout: STATEMENT_TIMEOUT_MS + 30_000,
        }),
      );
      await client.connect();
    } catch (e) {
      throw new SinkError(
        `cannot connect to PostgreSQL at ${pgLabel(this.target.url)}: ${(e as Error).message || (e as { code?: string }).code}`,
      );
    }
    this.client = client;
    client.on('error', () => undefined); // a dropped connection surfaces as a failed query
    try {
      await this.prepare(fields);
    } catch (e) {
      await this.abort(); // no transaction or connection is left open by a failed start
      throw e;
    }
  }

  /** Creates what the load needs (schema, table, bookkeeping tables, staging) and starts the COPY. */
  private async prepare(fields: Field[]): Promise<void> {
    const client = this.client!;
    const o = this.out;
    await createUnderLock(client, o.schema, createSql(o, fields));
    await client.query('BEGIN');
    const { types: have, notNull } = await targetColumns(client, o, fields);
    this.notNull = notNull;
    this.fits = fields.map((f) => fitCheck(f.type, have.get(f.name)!));
    const mark = o.watermark
      ? await client.query<{ value: number }>(selectWatermarkSql(o.schema), [o.table])
      : null;
    this.checks = new LoadChecks(o, fields, mark?.rows[0]?.value ?? null);
    // Staging keeps each row's place, for bisecting and for naming its source line; with a
    // watermark, its value as a number too: the mark may move on before this load's turn.
    this.wmCol = o.watermark ? fields.findIndex((f) => f.name === o.watermark) : -1;
    // A load that found the table busy stages its rows, so that loads run side by side and
    // take turns only for the move (the lock is held from here to commit when it goes direct).
    if (
      o.mode === 'full' &&
      this.wmCol < 0 &&
      (await tryLockTable(client, `${o.schema}.${o.table}`))
    ) {
      for (const sql of beforeMoveSql(o)) await client.query(sql);
      await client.query('SAVEPOINT sluice_direct');
      this.spill = new CopySpill();
      await this.startCopy(directCopySql(o, fields));
    } else await this.startCopy(await this.createStage());
    this.startedAt = performance.now();
  }

  /** Creates the staging table; returns the COPY that fills it. */
  private async createStage(): Promise<string> {
    const client = this.client!;
    const [createStage, addPlace, copy] = stageSql(this.out, this.fields, this.wmCol >= 0);
    await client.query(createStage);
    await client.query(addPlace);
    return copy;
  }

  private async startCopy(sql: string): Promise<void> {
    const copy = (this.copy = this.client!.query((await loadCopyStreams()).from(sql)));
    this.copyDone = new Promise((resolve, reject) => {
      copy.on('finish', () => resolve());
      copy.on('error', (e: Error & { code?: string }) => {
        if (!this.spill || !refusal(e)) return reject(e);
        // A row the database refuses fails a direct COPY whole; commit replays the rows into
        // staging. What the stream still queued would go to a connection it has let go of.
        this.directRefused = e;
        (copy as unknown as { chunks: unknown[] }).chunks = [];
        resolve();
      });
    });
    this.copyDone.catch(() => undefined);
  }

  write(batch: Batch): void {
    if (!this.copy || !this.checks) throw new SinkError('PostgresSink.write before open');
    this.queued.push(batch);
  }

  /** Checks and encodes one batch and hands it to the COPY. */
  private send(batch: Batch): void {
    const admit = this.checks!.admitter(batch, this.counts, (row, rule, reason) =>
      this.refuse(batch, row, rule, reason),
    );
    const spill = this.spill;
    const lines = spill ? new Int32Array(batch.length) : null;
    let kept = 0;
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      if (!admit(i)) continue;
      const line = this.copyLine(batch, i);
      if (typeof line !== 'string') {
        this.refuse(batch, i, ...line);
        continue;
      }
      if (lines) {
        lines[kept++] = batch.line[i];
        this.staged++;
        text += line + '\n';
        continue;
      }
      const wm = this.wmCol >= 0 ? `\t${rawValue(batch.columns[this.wmCol], i)}` : '';
      text += `${line}\t${++this.staged}\t${batch.line[i]}${wm}\n`;
    }
    if (!text) return;
    this.batches++;
    if (spill) spill.keep(text, lines!.subarray(0, kept));
    if (this.directRefused) return; // the rows go to the spill only, for the replay
    if (!this.copy!.write(text))
      this.pending ??= new Promise((r) => this.copy!.once('drain', () => r()));
  }

  /** Row i's cells as COPY text, tab-separated; or why the row does not fit the table. */
  private copyLine(batch: Batch, i: number): string | [rule: string, reason: string] {
    const fields = this.fields;
    let line = '';
    for (let c = 0; c < fields.length; c++) {
      const col = batch.columns[c];
      const fit = this.fits[c];
      let cell: string;
      if (col.kind === 'text' ? col.values[i] === null : col.valid[i] === 0) {
        if (this.notNull[c]) return ['not_null', REASON.notNull(fields[c].name)];
        cell = '\\N';
      } else if (col.kind === 'text') {
        const v = col.values[i]!;
        if (v.includes('\0'))
          return ['nul_byte', nulByte(fields[c].name, 'PostgreSQL cannot store')];
        if (fit && !fit.ok(v)) return misfit(fields[c].name, v, fit.type);
        cell = copyText(v);
      } else {
        const v = col.values[i];
        if (fit && !fit.ok(v)) return misfit(fields[c].name, v, fit.type);
        cell = copyNumber(v, fields[c].type, this.day);
      }
      line += c === 0 ? cell : '\t' + cell;
    }
    return line;
  }

  async flush(): Promise<void> {
    const queued = this.queued;
    this.queued = [];
    for (const batch of queued) {
      this.send(batch);
      const p = this.pending;
      this.pending = null;
      // If the COPY fails (the connection dropped, say), 'drain' never comes: its error does.
      if (p) await Promise.race([p, this.copyDone]);
    }
  }

  private refuse(batch: Batch, row: number, rule: string, reason: string): void {
    refuseRow(this.out, this.counts, this.reject, batch, row, rule, reason);
    this.keepRefused(rule, reason, rowRecord(batch, row));
  }

  private keepRefused(rule: string, message: string, record: Record<string, unknown>): void {
    // jsonb cannot hold U+0000 either: the copy kept there shows U+FFFD in its place (the hash
    // and the run store keep the record as it was).
    const stored = Object.fromEntries(
      Object.entries(record).map(([k, v]) => [
        k,
        typeof v === 'string' ? v.replace(/\0/g, '\uFFFD') : v,
      ]),
    );
    this.refused.push({
      error_type: rule,
      message,
      record: stored,
      record_hash: recordHash(record),
    });
  }

  async commit(): Promise<OutputReport> {
    const client = this.client;
    if (!client || !this.copy) throw new SinkError('PostgresSink.commit before open');
    await this.flush();
    if (!this.directRefused) this.copy.end();
    await this.copyDone;
    const copied = performance.now();
    const o = this.out;
    const direct = this.spill !== null && !this.directRefused;
    if (this.spill && !direct) await this.replay(this.spill);
    // A load that went direct holds the table's lock since open.
    if (!this.spill) await lockTable(client, `${o.schema}.${o.table}`, this.target.log);
    if (direct) {
      await client.query('RELEASE SAVEPOINT sluice_direct');
      this.counts.inserted += this.staged;
    } else if (!this.spill) {
      if (this.wmCol >= 0) await this.skipPastMark();
      for (const sql of beforeMoveSql(o)) await client.query(sql);
    }
    if (!direct) await this.move(1, this.staged);
    this.spill?.remove();
    await this.recordRefused();
    const high = this.checks?.newHighWater ?? null;
    if (high !== null) await client.query(raiseWatermarkSql(o.schema), [o.table, high]);
    await client.query('COMMIT');
    await client.end();
    this.client = null;
    const c = this.counts;
    c.unchanged = c.rows - c.inserted - c.updated - c.rejected - c.skipped;
    const ms = (t: number): string => `${Math.round(t).toLocaleString('en-US')} ms`;
    this.target.log?.(
      `${o.schema}.${o.table}: COPY of ${this.staged.toLocaleString('en-US')} rows ${direct ? 'straight into the table' : 'into staging'} in ` +
        `${this.batches} batch${this.batches === 1 ? '' : 'es'} of up to ${COPY_BATCH_ROWS} rows (${ms(copied - this.startedAt)}), ` +
        `${direct ? 'committed' : `${o.mode} into the table`} in ${ms(performance.now() - copied)}: ${c.inserted} inserted, ` +
        `${c.updated} updated, ${c.rejected} refused`,
    );
    return {
      kind: 'postgres',
      path: this.path,
      table: o.table,
      ...c,
      batches: this.batches,
      batchRows: COPY_BATCH_ROWS,
    };
  }

  /**
   * After the database refused a row of the direct COPY: undoes the COPY (the old rows stay
   * deleted) and stages the kept rows, numbered, with their source lines, for the move.
   */
  private async replay(spill: CopySpill): Promise<void> {
    const client = this.client!;
    await client.query('ROLLBACK TO SAVEPOINT sluice_direct');
    await client.query('RELEASE SAVEPOINT sluice_direct');
    await spill.replay(client, await this.createStage());
    this.target.log?.(
      `${this.out.schema}.${this.out.table}: PostgreSQL refused a row of the COPY (${this.directRefused?.message}); ` +
        `the ${spill.rows.toLocaleString('en-US')} rows were staged to find the refused ones`,
    );
  }

  /**
   * Writes this load's refused rows to sluice_rejects in one statement; when retrying, marks
   * the earlier refusals that loaded this time as retried instead.
   */
  private async recordRefused(): Promise<void> {
    const client = this.client!;
    const step = `load ${this.out.table}`;
    const { runId, pipeline } = this.target;
    if (this.target.retry) {
      await client.query(markRetriedSql(this.out.schema), [
        runId,
        pipeline,
        step,
        this.refused.map((r) => r.record_hash),
      ]);
      return;
    }
    if (this.refused.length === 0) return;
    await client.query(insertRejectsSql(this.out.schema), [
      runId,
      pipeline,
      step,
      JSON.stringify(this.refused),
    ]);
  }

  /**
   * Another load into the table may have committed, and moved the watermark, since this one
   * read it at open: staged rows at or before the mark as it is now are skipped.
   */
  private async skipPastMark(): Promise<void> {
    const client = this.client!;
    const mark = await client.query<{ value: number }>(selectWatermarkSql(this.out.schema), [
      this.out.table,
    ]);
    const now = mark.rows[0]?.value;
    if (now === undefined || now === (this.checks?.highWater ?? null)) return;
    const gone = await client.query(SKIP_PAST_MARK_SQL, [now]);
    this.counts.skipped += gone.rowCount ?? 0;
  }

  /** Moves staged rows lo..hi into the target; on a refusal, halves the range until it is one row. */
  private async move(lo: number, hi: number): Promise<void> {
    if (lo > hi) return;
    const client = this.client!;
    if (++this.savepoints > MAX_SAVEPOINTS)
      throw new SinkError(
        `${this.out.table}: PostgreSQL refused more rows than a load isolates one by one ` +
          `(${this.counts.rejected.toLocaleString('en-US')} refused after ${MAX_SAVEPOINTS.toLocaleString('en-US')} savepoints, ` +
          `the first ${this.firstRefused}); the load was rolled back. Fix the rows or the table's constraints, ` +
          `or refuse such rows in a step before the load`,
      );
    await client.query('SAVEPOINT sluice_part');
    try {
      const r = await client.query<{ inserted: string; updated: string }>(
        countedMoveSql(this.out, this.fields),
        [lo, hi],
      );
      const counted = r.rows[0];
      this.counts.inserted += counted ? Number(counted.inserted) : (r.rowCount ?? 0);
      if (counted) this.counts.updated += Number(counted.updated);
      await client.query('RELEASE SAVEPOINT sluice_part');
    } catch (e) {
      const err = e as { code?: string; message: string; constraint?: string };
      await client.query('ROLLBACK TO SAVEPOINT sluice_part');
      if (!refusal(err)) throw e;
      if (lo === hi) return this.refuseStaged(lo, err);
      const mid = Math.floor((lo + hi) / 2);
      await this.move(lo, mid);
      await this.move(mid + 1, hi);
    }
  }

  private async refuseStaged(n: number, err: { code?: string; message: string }): Promise<void> {
    const r = await this.client!.query<{ line: number; record: Record<string, unknown> }>(
      STAGED_ROW_SQL,
      [n],
    );
    const { line, record } = r.rows[0];
    const { rule, note } = serverRefusal(this.out, line, err);
    this.firstRefused ??= note;
    this.counts.rejected++;
    this.rejectRecord({ line, record }, rule, `${this.out.table}: ${err.message}`);
    this.keepRefused(rule, err.message, record);
  }

  async abort(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    try {
      this.spill?.remove();
      // A refused direct COPY has ended already; its stream has no connection to cancel on.
      if (!this.directRefused) this.copy?.destroy();
      await client.query('ROLLBACK').catch(() => undefined);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
