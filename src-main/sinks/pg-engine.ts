/**
 * A session on the PostgreSQL server that runs a pipeline's compiled SQL (engine: postgres):
 * files are staged into temporary tables with COPY, one statement runs the steps into a
 * temporary output table with the books (engine/sql/books.ts), and the output is read back
 * through a cursor in batches. Everything lives on one connection, so the temporary tables go
 * with it; a cancel stops the running statement on the server (pg_cancel_backend), since an
 * abandoned client leaves its query running.
 */
import type pg from 'pg';
import { loadCopyStreams, loadPg } from './pg-driver';
import type { Step } from '../../src-shared/recipe/steps';
import { booksSql } from '../engine/sql/books';
import { STAGED_LINE, stagedRelation } from '../engine/sql/staged';
import { csvLineSql, type CsvLineOptions } from '../engine/sql/csv-line';
import { ROW, type CompiledSql, type SqlRelation } from '../engine/sql/compile';
import { ident } from '../engine/sql/text';
import { rawValue, type Batch, type Field } from '../engine/table';
import { StepRunError } from '../engine/pipeline';
import { createUnderLock } from './postgres-locks';
import { copyBinaryCells } from './pg-copy-binary';
import { fetchCursor, fieldsOf, sourceRelation } from './postgres-source';
import { copyValue, rejectsTable, rejectsTableSql } from './postgres-sql';
import { pgConfig, pgLabel } from './pg-config';
import { SinkError, type RejectRecordFn, type RejectRow } from './sink';
import type { PostgresOutput } from '../../src-shared/recipe/pipeline';
import { InServerLoad } from './pg-inserver';
import type { PostgresTarget } from './postgres-sink';

/** The column of a staged table that keeps each row's line in its file (its order). */
const LINE = ident(STAGED_LINE);
const OUT = 'pg_temp.sluice_out';
/** Rows of sluice_rejects copied into the run store, per run of a pipeline. */
export const REJECT_SAMPLE = 1000;

export interface DroppedRow {
  step: string;
  kind: 'rejected' | 'removed';
  rule: string;
  reason: string;
  record: Record<string, unknown>;
  /** The row's line in the source file (its row number for a server's table); 0: not known. */
  line: number;
}

export class PgEngine {
  private constructor(
    private readonly client: pg.Client,
    private readonly config: pg.ClientConfig,
    /** The server process running this session's statements (for pg_cancel_backend). */
    readonly pid: number,
    readonly label: string,
    /** Each statement's bound (statement_timeout). */
    private readonly timeoutMs: number,
  ) {}

  /**
   * Connects; `timeoutMs` bounds each statement (the pipeline's timeout, or the loads' default).
   * `name` shows in pg_stat_activity (application_name), to find a run's backends.
   */
  static async connect(url: string, password: string | undefined, timeoutMs: number, name: string) {
    const config = pgConfig(url, password, {
      connectionTimeoutMillis: 15_000,
      application_name: name.slice(0, 63),
    });
    const client = new (await loadPg()).Client(config);
    client.on('error', () => undefined); // a dropped connection surfaces as a failed query
    try {
      await client.connect();
      await client.query(`SET TIME ZONE 'UTC'; SET statement_timeout = ${Math.round(timeoutMs)}`);
      const r = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      return new PgEngine(client, config, r.rows[0].pid, pgLabel(url), timeoutMs);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw new SinkError(
        `cannot connect to PostgreSQL at ${pgLabel(url)}: ${(e as Error).message}`,
      );
    }
  }

  /**
   * Stages batches into the temporary table `name` with COPY: every column as text (the
   * compiled SQL casts it to the engine type) and each row's line. Returns the relation to read.
   */
  async stage(
    name: string,
    fields: Field[],
    batches: AsyncIterable<Batch> | Iterable<Batch>,
  ): Promise<SqlRelation> {
    const table = `pg_temp.${ident(name)}`;
    const cols = fields.map((f) => `${ident(f.name)} text`);
    await this.client.query(`CREATE TEMP TABLE ${ident(name)} (${[...cols, `${LINE} bigint`]})`);
    const copy = this.client.query((await loadCopyStreams()).from(`COPY ${table} FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    done.catch(() => undefined);
    try {
      for await (const b of batches) {
        let text = '';
        for (let i = 0; i < b.length; i++) {
          for (let c = 0; c < fields.length; c++)
            text += copyValue(rawValue(b.columns[c], i), fields[c].type) + '\t';
          text += `${b.line[i]}\n`;
        }
        if (text && !copy.write(text))
          await Promise.race([new Promise((r) => copy.once('drain', r)), done]);
      }
      copy.end();
      await done;
    } catch (e) {
      copy.destroy();
      throw e;
    }
    return stagedRelation(name, fields);
  }

  /** A table or query of this server as a relation, with the engine types of its columns. */
  async relation(spec: { table?: string; query?: string }): Promise<SqlRelation> {
    const from = sourceRelation(spec);
    const probe = await this.client.query(`SELECT * FROM ${from} LIMIT 0`);
    return { from, fields: fieldsOf(probe.fields) };
  }

  /**
   * Runs the compiled steps once into the session's output table, recording dropped rows in
   * `schema`.sluice_rejects; returns the row count of each counted CTE and a sample of the
   * dropped rows.
   */
  async run(
    c: CompiledSql,
    steps: Step[],
    schema: string,
    ids: { runId: string; pipeline: string },
  ): Promise<{ counts: Map<string, number>; dropped: DroppedRow[] }> {
    await createUnderLock(this.client, schema, [
      `CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`,
      rejectsTableSql(schema),
    ]);
    await this.client.query(`CREATE TEMP TABLE sluice_out AS ${c.sql} WITH NO DATA`);
    const rejects = rejectsTable(schema);
    const books = booksSql(c, steps, OUT, rejects);
    await this.client.query('BEGIN');
    const r = await this.client.query<Record<string, string>>(books.sql, [ids.runId, ids.pipeline]);
    const stop = books.guards.find((g) => r.rows[0][`${g.cte}_hits`] != null);
    if (stop) {
      // The run stops as the local engine stops it; nothing the statement wrote is kept.
      await this.client.query('ROLLBACK');
      const at = r.rows[0][`${stop.cte}_line`];
      const step = c.steps[stop.step].name;
      const message = stop.message
        .replace('line {line}', stop.lineKnown ? `line ${at}` : `row ${at} of the step's input`)
        .replace('{hits}', r.rows[0][`${stop.cte}_hits`]);
      throw new StepRunError(`step ${step}: ${message}`, step);
    }
    await this.client.query('COMMIT');
    const counts = new Map(books.counts.map((cte, i) => [cte, Number(r.rows[0][`n${i}`])]));
    const sample = await this.client.query<{
      step: string;
      error_type: string;
      message: string;
      record: Record<string, unknown>;
      line: string | null;
    }>(
      `SELECT step, error_type, message, record, line FROM ${rejects} WHERE run_id = $1 AND pipeline = $2 ORDER BY line, step LIMIT ${REJECT_SAMPLE}`,
      [ids.runId, ids.pipeline],
    );
    const dropped = sample.rows.map((x) => ({
      step: x.step,
      kind: x.error_type === 'removed' ? ('removed' as const) : ('rejected' as const),
      rule: x.error_type === 'removed' ? x.message : x.error_type,
      reason: x.message,
      record: x.record,
      line: x.line === null ? 0 : Number(x.line),
    }));
    return { counts, dropped };
  }

  /** The output rows in the engine's order, in batches, through a cursor. */
  async *output(fields: Field[], stats: { rowsRead: number }): AsyncGenerator<Batch> {
    const fail = (e: unknown): never => {
      throw new SinkError(`reading the output on ${this.label}: ${(e as Error).message}`);
    };
    const list = fields.map((f) => ident(f.name)).join(', ');
    await this.client.query('BEGIN READ ONLY');
    await this.client.query(
      `DECLARE sluice_result NO SCROLL CURSOR FOR SELECT ${list} FROM ${OUT} ORDER BY ${ROW}`,
    );
    yield* fetchCursor(this.client, 'sluice_result', fields, stats, fail);
    await this.client.query('COMMIT');
  }

  /**
   * The output as CSV lines made by the server (engine/sql/csv-line.ts), in the engine's order,
   * streamed with COPY TO STDOUT: each line's bytes go to `write` as they come. Binary COPY
   * carries them as they are (the text format would escape backslashes and line breaks).
   * Returns the rows written.
   */
  async copyCsv(
    fields: Field[],
    o: CsvLineOptions,
    write: (line: Buffer) => void,
  ): Promise<number> {
    const sql = `COPY (SELECT ${csvLineSql(fields, o)} FROM ${OUT} ORDER BY ${ROW}) TO STDOUT (FORMAT binary)`;
    try {
      return await copyBinaryCells(this.client.query((await loadCopyStreams()).to(sql)), write);
    } catch (e) {
      throw new SinkError(`writing the output as CSV on ${this.label}: ${(e as Error).message}`);
    }
  }

  /**
   * A PostgreSQL output of this database written from the output table by the server itself
   * (pg-inserver.ts), after run(); `rows` is the output's row count.
   */
  loadInServer(
    rows: number,
    o: PostgresOutput,
    target: PostgresTarget,
    reject: RejectRow,
    rejectRecord: RejectRecordFn,
  ): InServerLoad {
    const session = { client: this.client, timeoutMs: this.timeoutMs, label: this.label };
    return new InServerLoad(session, rows, o, target, reject, rejectRecord);
  }

  /** Stops the statement the session is running, from a connection of its own. */
  async cancel(): Promise<void> {
    const other = new (await loadPg()).Client(this.config);
    other.on('error', () => undefined);
    try {
      await other.connect();
      await other.query('SELECT pg_cancel_backend($1)', [this.pid]);
    } finally {
      await other.end().catch(() => undefined);
    }
  }

  /** Ends the session; its temporary tables go with it. */
  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
