/**
 * A PostgreSQL output written inside the server: with `engine: postgres`, an output whose
 * connection reaches the engine's own database as the same login is filled from the steps'
 * output table by INSERT ... SELECT on the engine's session, so its rows never come back through
 * Sluice. It keeps a streamed load's meaning (postgres-sink.ts): the same tables created, the
 * same checks (a null or repeated key, the watermark, NOT NULL, values that do not fit) made in
 * one statement, the same move per mode (full deletes first; upsert and incremental by key
 * update rows that differ), the table's lock, refused rows found by bisecting under savepoints
 * (named by line with on_violation: stop, recorded in sluice_rejects with skip), the watermark
 * raised, and everything in one transaction that a failure rolls back whole.
 *
 * A target whose column types a streamed load would convert differently (text into a number
 * column, say) is loaded as before: the output's rows are streamed to a PostgresSink.
 */
import type pg from 'pg';
import type { PostgresOutput } from '../../src-shared/recipe/pipeline';
import type { OutputReport } from '../../src-shared/recipe/result';
import { rawValue, rowRecord, type Batch, type Field } from '../engine/table';
import { LoadChecks, newCounts, REASON, refuseRow } from './checks';
import {
  checks,
  checkSql,
  columnMove,
  movedRowsSql,
  OUTPUT_ROW_SQL,
  OUTPUT_TABLE,
  refusedRowsSql,
  REFUSED_TABLE_SQL,
  type ColumnMove,
} from './pg-inserver-sql';
import { tableLabel } from './pg-config';
import { createUnderLock, lockTable } from './postgres-locks';
import {
  MAX_SAVEPOINTS,
  PostgresSink,
  recordHash,
  refusal,
  serverRefusal,
  type PostgresTarget,
} from './postgres-sink';
import { fetchCursor } from './postgres-source';
import {
  beforeMoveSql,
  countedMoveSql,
  createSql,
  insertRejectsSql,
  raiseWatermarkSql,
  selectWatermarkSql,
} from './postgres-sql';
import { targetColumns } from './postgres-target';
import { SinkError, type RejectRecordFn, type RejectRow, type Sink } from './sink';

/** The engine's session: its connection, its statement timeout and where it is, for people. */
export interface EngineSession {
  client: pg.Client;
  timeoutMs: number;
  label: string;
}

interface Refusal {
  error_type: string;
  message: string;
  record: Record<string, unknown>;
  record_hash: string;
}

export class InServerLoad implements Sink {
  private fields: Field[] = [];
  /** Set when the target's columns need a streamed load: it takes the rows instead. */
  private streamed: PostgresSink | null = null;
  private counts = newCounts();
  private refused: Refusal[] = [];
  private savepoints = 0;
  private firstRefused: string | null = null;
  /** Whether the output table has an index on the row's place (made when bisecting). */
  private indexed = false;
  /** The target's column types, as the load found them. */
  private types = new Map<string, string>();

  constructor(
    private readonly session: EngineSession,
    /** The output rows (the books' rows out). */
    private readonly rows: number,
    private readonly out: PostgresOutput,
    private readonly target: PostgresTarget,
    private readonly reject: RejectRow,
    private readonly rejectRecord: RejectRecordFn,
  ) {}

  /** True when the server writes the output itself: write() then takes no rows. */
  get inServer(): boolean {
    return this.streamed === null;
  }

  get path(): string {
    return tableLabel(this.target.url, this.out);
  }

  /** Creates what the load needs; streams instead when the target's columns ask for it. */
  async open(fields: Field[]): Promise<void> {
    const o = this.out;
    this.fields = fields;
    new LoadChecks(o, fields); // names a key or watermark that is not an output column
    const client = this.session.client;
    const why = await (async () => {
      await createUnderLock(client, o.schema, createSql(o, fields));
      return this.cannot(await targetColumns(client, o, fields));
    })().catch((e: Error) => {
      if (e instanceof SinkError) throw e;
      throw new SinkError(`${o.schema}.${o.table} on ${this.session.label}: ${e.message}`);
    });
    if (!why) return;
    this.target.log?.(`${o.schema}.${o.table}: loaded through Sluice, not in the server: ${why}`);
    this.streamed = new PostgresSink(o, this.target, this.reject, this.rejectRecord);
    await this.streamed.open(fields);
  }

  /** Why the server cannot write the target as a streamed load would; null when it can. */
  private cannot(t: { types: Map<string, string> }): string | null {
    for (const f of this.fields) {
      const m = columnMove(f, t.types.get(f.name)!);
      if (typeof m === 'string') return m;
    }
    const wm = this.out.watermark;
    const f = wm ? this.fields.find((x) => x.name === wm) : undefined;
    if (f && !['int', 'float', 'decimal', 'date', 'datetime'].includes(f.type))
      return `the watermark column "${f.name}" is ${f.type}`;
    return null;
  }

  write(batch: Batch): void {
    if (!this.streamed) throw new SinkError('an output written in the server takes no rows');
    this.streamed.write(batch);
  }

  async flush(): Promise<void> {
    await this.streamed?.flush();
  }

  async commit(): Promise<OutputReport> {
    if (this.streamed) return this.streamed.commit();
    const client = this.session.client;
    const t0 = performance.now();
    await client.query('BEGIN');
    try {
      const report = await this.load();
      await client.query('COMMIT');
      const c = this.counts;
      this.target.log?.(
        `${this.out.schema}.${this.out.table}: written in the server (INSERT ... SELECT from the steps' output, ${this.out.mode}), ` +
          `no rows through Sluice, in ${Math.round(performance.now() - t0).toLocaleString('en-US')} ms: ` +
          `${c.inserted} inserted, ${c.updated} updated, ${c.rejected} refused, ${c.skipped} skipped`,
      );
      return report;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      const err = e as Error & { code?: string };
      if (e instanceof SinkError) throw e;
      if (err.code === '57014')
        throw new SinkError(
          `${this.out.schema}.${this.out.table} on ${this.session.label}: the load was stopped (cancelled, or longer than the statement timeout of ${this.session.timeoutMs / 1000} s); it was rolled back`,
        );
      throw new SinkError(
        `${this.out.schema}.${this.out.table} on ${this.session.label}: ${err.message}; the load was rolled back`,
      );
    }
  }

  /** The load, inside the transaction commit opened. */
  private async load(): Promise<OutputReport> {
    const client = this.session.client;
    const o = this.out;
    const name = `${o.schema}.${o.table}`;
    await lockTable(client, name, this.target.log);
    // Waiting for the lock sets its own timeout; the steps' timeout bounds the load again.
    await client.query(`SET LOCAL statement_timeout = ${Math.round(this.session.timeoutMs)}`);
    const t = await targetColumns(client, o, this.fields);
    this.types = t.types;
    const why = this.cannot(t);
    if (why) throw new SinkError(`${name} changed while the run went on: ${why}`);
    const moves = this.fields.map((f) => columnMove(f, t.types.get(f.name)!) as ColumnMove);
    const spec = { out: o, fields: this.fields, moves, notNull: t.notNull };
    const mark = o.watermark
      ? ((await client.query<{ value: number }>(selectWatermarkSql(o.schema), [o.table])).rows[0]
          ?.value ?? null)
      : null;
    const checked = checks(spec);
    let high: number | null = null;
    this.counts.rows = this.rows;
    if (checked) {
      await client.query(REFUSED_TABLE_SQL);
      const r = await client.query<{ skipped: string; high: number | null }>(checkSql(spec), [
        mark,
      ]);
      this.counts.skipped = Number(r.rows[0].skipped);
      high = r.rows[0].high;
      await this.refuseChecked();
    }
    for (const sql of beforeMoveSql(o)) await client.query(sql);
    const move = countedMoveSql(o, this.fields, movedRowsSql({ ...spec, checked }));
    await this.move(move, o.watermark ? [mark] : [], 1, Number.MAX_SAFE_INTEGER);
    if (this.refused.length)
      await client.query(insertRejectsSql(o.schema), [
        this.target.runId,
        this.target.pipeline,
        `load ${o.table}`,
        JSON.stringify(this.refused),
      ]);
    if (high !== null) await client.query(raiseWatermarkSql(o.schema), [o.table, high]);
    const c = this.counts;
    c.unchanged = c.rows - c.inserted - c.updated - c.rejected - c.skipped;
    return { kind: 'postgres', path: this.path, table: o.table, ...c };
  }

  /**
   * The rows a check refused, in order: the first stops the load (on_violation: stop), or each
   * is rejected as a streamed load rejects it (the run store and sluice_rejects).
   */
  private async refuseChecked(): Promise<void> {
    const client = this.session.client;
    const fields = [
      ...this.fields,
      { name: '_sluice_line_no', type: 'int' as const },
      { name: '_sluice_rule', type: 'string' as const },
    ];
    const sql = refusedRowsSql(this.fields, this.out.on_violation === 'stop' ? 1 : undefined);
    await client.query(`DECLARE sluice_refusals NO SCROLL CURSOR FOR ${sql}`);
    const fail = (e: unknown): never => {
      throw e;
    };
    const n = this.fields.length;
    for await (const b of fetchCursor(client, 'sluice_refusals', fields, { rowsRead: 0 }, fail)) {
      const lineCol = b.columns[n];
      const line = Int32Array.from({ length: b.length }, (_, i) => rawValue(lineCol, i) as number);
      const view: Batch = {
        fields: this.fields,
        columns: b.columns.slice(0, n),
        length: b.length,
        line,
        lineEnd: line.slice(),
      };
      for (let i = 0; i < b.length; i++) {
        const [rule, col] = (rawValue(b.columns[n + 1], i) as string).split(' ');
        const reason = this.reason(rule, view, i, Number(col));
        refuseRow(this.out, this.counts, this.reject, view, i, rule, reason);
        this.keep(rule, reason, rowRecord(view, i));
      }
    }
    await client.query('CLOSE sluice_refusals');
  }

  private reason(rule: string, b: Batch, i: number, c: number): string {
    const o = this.out;
    switch (rule) {
      case 'null_watermark':
        return REASON.nullWatermark(o.watermark!);
      case 'null_key':
        return REASON.nullKey(o.key!);
      case 'duplicate_key':
        return REASON.duplicateKey(o.key!);
      case 'not_null':
        return REASON.notNull(this.fields[c].name);
      default: {
        const v = rawValue(b.columns[c], i)!;
        return REASON.misfit(this.fields[c].name, v, this.types.get(this.fields[c].name)!);
      }
    }
  }

  private keep(rule: string, message: string, record: Record<string, unknown>): void {
    this.refused.push({ error_type: rule, message, record, record_hash: recordHash(record) });
  }

  /**
   * Moves the rows at places lo..hi; when the database refuses one, halves the range until it
   * is one row, as a streamed load does over its staged rows (postgres-sink.ts move).
   */
  private async move(sql: string, extra: unknown[], lo: number, hi: number): Promise<void> {
    if (lo > hi) return;
    const client = this.session.client;
    if (++this.savepoints > MAX_SAVEPOINTS)
      throw new SinkError(
        `${this.out.table}: PostgreSQL refused more rows than a load isolates one by one ` +
          `(${this.counts.rejected.toLocaleString('en-US')} refused after ${MAX_SAVEPOINTS.toLocaleString('en-US')} savepoints, ` +
          `the first ${this.firstRefused}); the load was rolled back. Fix the rows or the table's constraints, ` +
          `or refuse such rows in a step before the load`,
      );
    await client.query('SAVEPOINT sluice_part');
    try {
      const r = await client.query<{ inserted: string; updated: string }>(sql, [lo, hi, ...extra]);
      const counted = r.rows[0];
      this.counts.inserted += counted ? Number(counted.inserted) : (r.rowCount ?? 0);
      if (counted) this.counts.updated += Number(counted.updated);
      await client.query('RELEASE SAVEPOINT sluice_part');
    } catch (e) {
      const err = e as { code?: string; message: string };
      await client.query('ROLLBACK TO SAVEPOINT sluice_part');
      if (!refusal(err)) throw e;
      if (!this.indexed) {
        // Each half reads the output table again: by its index, not by a scan of every row.
        this.indexed = true;
        await client.query(`CREATE INDEX ON ${OUTPUT_TABLE} (_sluice_row)`);
        const b = await client.query<{ lo: string | null; hi: string | null }>(
          `SELECT min(_sluice_row) AS lo, max(_sluice_row) AS hi FROM ${OUTPUT_TABLE} WHERE _sluice_row BETWEEN $1 AND $2`,
          [lo, hi],
        );
        if (b.rows[0].lo === null) return;
        [lo, hi] = [Number(b.rows[0].lo), Number(b.rows[0].hi)];
      }
      if (lo === hi) return this.refuseRow(lo, err);
      const mid = Math.floor((lo + hi) / 2);
      await this.move(sql, extra, lo, mid);
      await this.move(sql, extra, mid + 1, hi);
    }
  }

  /** The one row at place n the database refused: stops the load, or is rejected. */
  private async refuseRow(n: number, err: { code?: string; message: string }): Promise<void> {
    const r = await this.session.client.query<{ line: string; record: Record<string, unknown> }>(
      OUTPUT_ROW_SQL,
      [n],
    );
    const line = Number(r.rows[0].line);
    const { record } = r.rows[0];
    const { rule, note } = serverRefusal(this.out, line, err);
    this.firstRefused ??= note;
    this.counts.rejected++;
    this.rejectRecord({ line, record }, rule, `${this.out.table}: ${err.message}`);
    this.keep(rule, err.message, record);
  }

  async abort(): Promise<void> {
    // The load's transaction ends in commit (committed or rolled back): nothing is left open.
    await this.streamed?.abort();
  }
}
