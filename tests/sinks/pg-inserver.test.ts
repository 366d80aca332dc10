/**
 * engine: postgres with a PostgreSQL output on the engine's own database: the server writes the
 * table from the steps' output (INSERT ... SELECT), and the rows never come back through Sluice.
 * Each mode must leave the table exactly as the local engine and the streamed load leave it (rows,
 * column types, the counts of the load, the rows refused), over two loads so that upsert updates,
 * incremental skips and append adds; a refused row stops the run with the streamed load's message
 * and leaves the table as it was. An output on another database is loaded as before.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pipeline, type PostgresOutput } from '../../src-shared/recipe/pipeline';
import type { PipelineReport } from '../../src-shared/recipe/result';
import { projectResources } from '../../src-main/orchestrator/resources';
import { runPipeline } from '../../src-main/orchestrator/run-pipeline';
import { PgEngine } from '../../src-main/sinks/pg-engine';
import { PostgresSink } from '../../src-main/sinks/postgres-sink';
import type { RejectRow } from '../../src-main/store/store';
import { DATABASE_URL, holdTableLock, query, testSchema } from '../helpers/pg';
import { tempDir } from '../helpers/tmp';

const HEADER = 'id,name,qty,price,day,at,ok';

/** Rows of dirty text: spaces, a bad quantity (cast rejects it), a duplicate id, nulls. */
function csv(version: number, n: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) {
    // The second load changes every third row, drops the first tenth, adds new ids after n.
    const id = version === 1 ? i : i + Math.floor(n / 10);
    const changed = version === 2 && id % 3 === 0;
    const qty = id % 17 === 0 ? 'x' : String((id * 7) % 50);
    const price = id % 11 === 0 ? '' : `${(id * 1.37).toFixed(2)}${changed ? '1' : ''}`;
    const day = `2024-0${1 + (id % 9)}-${String(1 + (id % 28)).padStart(2, '0')}`;
    const at = `2024-03-01T${String(id % 24).padStart(2, '0')}:${String(id % 60).padStart(2, '0')}:00`;
    lines.push(
      `${id},${id % 13 === 0 ? ' ' : ` name ${id}${changed ? ' v2' : ''} `},${qty},${price},${day},${at},${id % 2 === 0}`,
    );
    if (id % 23 === 0) lines.push(lines[lines.length - 1]); // a duplicate row
  }
  return lines.join('\n') + '\n';
}

const STEPS = [
  { step: 'trim' },
  { step: 'nullify', tokens: [''] },
  {
    step: 'cast',
    columns: {
      id: 'int',
      qty: 'int',
      price: 'decimal',
      day: 'date',
      at: 'datetime',
      ok: 'boolean',
    },
    on_error: 'reject',
  },
  { step: 'filter', where: 'qty >= 0' },
];

interface Run {
  report: PipelineReport;
  log: string[];
  rejects: RejectRow[];
  /** Calls that read the output's rows back from the server, or took them into a streamed load. */
  readBack: number;
  streamed: number;
}

let outputSpy: ReturnType<typeof vi.spyOn>;
let writeSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  outputSpy = vi.spyOn(PgEngine.prototype, 'output');
  writeSpy = vi.spyOn(PostgresSink.prototype, 'write');
});
afterEach(() => vi.restoreAllMocks());

async function run(
  dir: string,
  engine: 'local' | 'postgres',
  output: Partial<PostgresOutput>,
  opts: {
    signal?: AbortSignal;
    onLog?: (m: string) => void;
    connections?: Record<string, { url: string }>;
    extra?: unknown[];
    steps?: unknown[];
  } = {},
): Promise<Run> {
  const pipeline = Pipeline.parse({
    name: 'orders',
    engine,
    source: { path: 'in.csv' },
    steps: opts.steps ?? STEPS,
    outputs: [{ kind: 'postgres', table: 'orders', ...output }, ...(opts.extra ?? [])],
  });
  const log: string[] = [];
  const rejects: RejectRow[] = [];
  outputSpy.mockClear();
  writeSpy.mockClear();
  const report = await runPipeline({
    projectDir: dir,
    resources: projectResources({ projectDir: dir, dataDir: dir, allowed: [], protected: [] }, []),
    defaultDatabase: join(dir, 'out', 'p.sqlite'),
    connections: opts.connections ?? {},
    pipeline,
    maxRejectRate: 1,
    previous: {},
    runId: `run_${engine}_${Math.random().toString(36).slice(2)}`,
    recorder: {
      log: (_l, m) => {
        log.push(m);
        opts.onLog?.(m);
      },
      addRejects: (r) => rejects.push(...r),
    },
    signal: opts.signal,
  });
  return {
    report,
    log,
    rejects,
    readBack: outputSpy.mock.calls.length,
    streamed: writeSpy.mock.calls.length,
  };
}

/** The table's rows, sorted, as the server prints them, and its columns' types. */
async function table(schema: string, name = 'orders') {
  const types = await query<{ column_name: string; data_type: string; is_nullable: string }>(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, name],
  );
  const rows = await query<{ r: string }>(`SELECT t::text AS r FROM "${schema}"."${name}" t`);
  return { types, rows: rows.map((x) => x.r).sort() };
}

/**
 * A load's counts and the refusals it recorded in the run store. Lines are left out: a local
 * run numbers a refused row by its source line, a run on the server by its place among the
 * output rows (compared with the streamed load of a run on the server, below).
 */
function loadOf(r: Run) {
  const { ms: _ms, path: _p, batches: _b, batchRows: _br, ...counts } = r.report.outputs[0] ?? {};
  const refused = r.rejects
    .filter((x) => x.step.startsWith('load '))
    .map((x) => [x.rule, x.reason, JSON.stringify(x.record)])
    .sort();
  return { status: r.report.status, counts, refused };
}

/** The refusals' lines and the error, as a run on the server numbers them. */
const linesOf = (r: Run) => ({
  error: r.report.error?.message,
  lines: r.rejects.filter((x) => x.step.startsWith('load ')).map((x) => [x.line, x.rule]),
});

async function serverRefusals(schema: string) {
  const rows = await query<{ error_type: string; message: string; record: unknown }>(
    `SELECT error_type, message, record FROM "${schema}".sluice_rejects WHERE step LIKE 'load %'`,
  );
  return rows.map((r) => JSON.stringify(r)).sort();
}

/**
 * Runs the two loads three ways, into a schema each: the local engine, the server's engine with
 * the output streamed back through Sluice (as before, SLUICE_IN_SERVER=never), and written
 * in the server, which must neither read the rows back nor stream them.
 */
async function bothWays(
  output: Partial<PostgresOutput>,
  n = 400,
  setup?: (schema: string) => Promise<void>,
) {
  const dir = tempDir();
  const schemas = { local: testSchema(), streamed: testSchema(), server: testSchema() };
  for (const s of Object.values(schemas)) await setup?.(s);
  const out: Record<keyof typeof schemas, Run[]> = { local: [], streamed: [], server: [] };
  for (const version of [1, 2]) {
    writeFileSync(join(dir, 'in.csv'), csv(version, n));
    out.local.push(await run(dir, 'local', { ...output, schema: schemas.local }));
    process.env.SLUICE_IN_SERVER = 'never';
    try {
      out.streamed.push(await run(dir, 'postgres', { ...output, schema: schemas.streamed }));
    } finally {
      delete process.env.SLUICE_IN_SERVER;
    }
    out.server.push(await run(dir, 'postgres', { ...output, schema: schemas.server }));
  }
  for (const [i, s] of out.server.entries()) {
    expect(s.report.status, s.report.error?.message).toBe(out.local[i].report.status);
    expect(loadOf(s)).toEqual(loadOf(out.local[i]));
    expect(linesOf(s)).toEqual(linesOf(out.streamed[i]));
    expect(out.streamed[i].streamed).toBeGreaterThan(0);
    if (s.report.status === 'succeeded') {
      // Written in the server: the rows were neither read back nor handed to a streamed load.
      expect(s.readBack).toBe(0);
      expect(s.streamed).toBe(0);
      expect(s.log.some((l) => l.includes('written in the server'))).toBe(true);
    }
  }
  const local = await table(schemas.local);
  expect(await table(schemas.server)).toEqual(local);
  expect(await table(schemas.streamed)).toEqual(local);
  expect(await serverRefusals(schemas.server)).toEqual(await serverRefusals(schemas.local));
  return { ...out, schemas };
}

describe('a PostgreSQL output on the engine’s database is written in the server', () => {
  it('full: the second load replaces the first', async () => {
    const r = await bothWays({ mode: 'full' });
    expect((await table(r.schemas.server)).types.map((t) => t.data_type)).toEqual([
      'bigint',
      'text',
      'bigint',
      'numeric',
      'date',
      'timestamp without time zone',
      'boolean',
    ]);
    expect(r.server[1].report.outputs[0].inserted).toBeGreaterThan(300);
  }, 120_000);

  it('append: both loads stay', async () => {
    const r = await bothWays({ mode: 'append' });
    expect((await table(r.schemas.server)).rows.length).toBeGreaterThan(700);
  }, 120_000);

  it('upsert: new keys inserted, changed rows updated, duplicates refused', async () => {
    const r = await bothWays({ mode: 'upsert', key: ['id'], on_violation: 'skip' });
    const second = r.server[1].report.outputs[0];
    expect(second.updated).toBeGreaterThan(50);
    expect(second.unchanged).toBeGreaterThan(50);
    expect(second.inserted).toBeGreaterThan(20);
    expect(loadOf(r.server[0]).refused.some((x) => x[0] === 'duplicate_key')).toBe(true);
  }, 120_000);

  it('upsert with on_conflict: ignore', async () => {
    await bothWays({ mode: 'upsert', key: ['id'], on_conflict: 'ignore', on_violation: 'skip' });
  }, 120_000);

  it('incremental by watermark: rows at or before the last mark are skipped', async () => {
    const r = await bothWays({ mode: 'incremental', watermark: 'day' });
    expect(r.server[1].report.outputs[0].skipped).toBeGreaterThan(100);
    const marks = async (s: string) => query(`SELECT target, value FROM "${s}".sluice_watermarks`);
    expect(await marks(r.schemas.server)).toEqual(await marks(r.schemas.local));
  }, 120_000);

  it('incremental by key and watermark, rows refused by a null key', async () => {
    const r = await bothWays({
      mode: 'incremental',
      key: ['name'],
      watermark: 'at',
      on_violation: 'skip',
    });
    expect(loadOf(r.server[0]).refused.some((x) => x[0] === 'null_key')).toBe(true);
  }, 120_000);
});

describe('rows the table refuses', () => {
  /** A table made beforehand: name NOT NULL and unique, so rows of the load are refused. */
  const strict = async (schema: string): Promise<void> => {
    await query(`CREATE SCHEMA "${schema}"`);
    await query(
      `CREATE TABLE "${schema}".orders (id bigint PRIMARY KEY, name text NOT NULL UNIQUE, qty integer,
       price numeric, day date, at timestamp, ok boolean)`,
    );
    await query(`INSERT INTO "${schema}".orders (id, name) VALUES (-1, 'kept'), (-2, 'name 5')`);
  };

  it('on_violation: stop fails the run naming the table and line, and changes nothing', async () => {
    const r = await bothWays({ mode: 'full', key: ['id'] }, 60, strict);
    for (const x of [r.server[0], r.server[1]]) {
      expect(x.report.status).toBe('failed');
      expect(x.report.error?.code).toBe('load');
      // The first refusal in the engine's order: name 13 is null (nullify made it so).
      expect(x.report.error?.message).toMatch(
        /^orders: the row on line \d+ was refused \(not_null\): name is null/,
      );
    }
    expect((await table(r.schemas.server)).rows).toEqual(['(-1,kept,,,,,)', '(-2,"name 5",,,,,)']);
    // The rows the steps rejected were committed before the load, and stay (cast: qty "x").
    const kept = await query<{ n: string }>(
      `SELECT count(*) AS n FROM "${r.schemas.server}".sluice_rejects WHERE step NOT LIKE 'load %'`,
    );
    expect(Number(kept[0].n)).toBeGreaterThan(0);
  }, 120_000);

  it('a unique violation the database finds: stop names the row, skip loads the rest', async () => {
    // No null names: the refusal is the server's (name 5 is taken).
    const noNulls = async (s: string) => {
      await strict(s);
      await query(`ALTER TABLE "${s}".orders ALTER COLUMN name DROP NOT NULL`);
    };
    const stop = await bothWays({ mode: 'append', key: ['id'] }, 20, noNulls);
    expect(stop.server[0].report.error?.message).toMatch(
      /^orders: the row on line 5 was refused \(unique\): duplicate key value violates unique constraint/,
    );
    expect((await table(stop.schemas.server)).rows).toHaveLength(2);
    const skip = await bothWays({ mode: 'append', key: ['id'], on_violation: 'skip' }, 20, noNulls);
    expect(loadOf(skip.server[0]).refused.map((x) => x[0])).toContain('unique');
    expect(skip.server[0].report.outputs[0].rejected).toBeGreaterThan(0);
  }, 120_000);
});

describe('values that do not fit the table', () => {
  it('a fraction into a whole-number column is refused as a streamed load refuses it', async () => {
    const whole = async (s: string) => {
      await query(`CREATE SCHEMA "${s}"`);
      await query(
        `CREATE TABLE "${s}".orders (id bigint, name text, qty smallint, price integer, day date, at timestamp, ok boolean)`,
      );
    };
    const r = await bothWays({ mode: 'append', on_violation: 'skip' }, 120, whole);
    const refused = loadOf(r.server[0]).refused;
    expect(refused.filter((x) => x[0] === 'type_mismatch').length).toBeGreaterThan(50);
    expect(refused[0][1]).toMatch(/^orders: price: [\d.]+ does not fit the integer column$/);
  }, 120_000);
});

describe('the load in the server takes turns and stops', () => {
  it('waits for another load into the table, and a cancel stops it with the table unchanged', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.csv'), csv(1, 50));
    const schema = testSchema();
    await query(`CREATE SCHEMA "${schema}"`);
    await query(
      `CREATE TABLE "${schema}".orders AS SELECT -1::bigint AS id, 'kept' AS name, 1::bigint AS qty, 1::numeric AS price, current_date AS day, localtimestamp AS at, true AS ok`,
    );
    const holder = await holdTableLock(schema, 'orders');
    try {
      const abort = new AbortController();
      let waiting: () => void;
      const waits = new Promise<void>((r) => (waiting = r));
      const running = run(
        dir,
        'postgres',
        { schema },
        {
          signal: abort.signal,
          onLog: (m) => m.includes('waiting for another load') && waiting(),
        },
      );
      await waits;
      abort.abort();
      const r = await running;
      expect(r.report.status, r.report.error?.message).toBe('cancelled');
      expect(r.readBack).toBe(0);
      expect((await table(schema)).rows).toHaveLength(1);
    } finally {
      await holder.release();
    }
  }, 120_000);
});

describe('outputs the server does not write itself', () => {
  it('a table on another database is loaded through Sluice as before', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.csv'), csv(1, 50));
    const schema = testSchema();
    const elsewhere = `sluice_inserver_other_${process.pid}`;
    const other = DATABASE_URL.replace(/\/[^/]*$/, '/postgres');
    try {
      // The engine runs on the first output's database; the second is another database.
      const second = { kind: 'postgres', connection: 'other', schema: elsewhere, table: 'orders' };
      const r = await run(
        dir,
        'postgres',
        { schema },
        { connections: { other: { url: other } }, extra: [second] },
      );
      expect(r.report.status, r.report.error?.message).toBe('succeeded');
      expect(r.readBack).toBe(1);
      expect(r.streamed).toBeGreaterThan(0);
      expect(r.log.filter((l) => l.includes('written in the server'))).toHaveLength(1);
      expect(r.log.some((l) => l.startsWith(`${elsewhere}.orders: COPY of 50 rows`))).toBe(true);
      expect(r.report.outputs.map((o) => o.inserted)).toEqual([50, 50]);
      expect((await table(schema)).rows).toHaveLength(50);
    } finally {
      const c = new pg.Client({ connectionString: other });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${elsewhere}" CASCADE`);
      await c.end();
    }
  }, 120_000);

  it('a table whose columns a streamed load converts differently is streamed, with a note', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.csv'), csv(1, 50));
    const schema = testSchema();
    await query(`CREATE SCHEMA "${schema}"`);
    await query(
      `CREATE TABLE "${schema}".orders (id text, name text, qty bigint, price numeric, day date, at timestamp, ok boolean)`,
    );
    const r = await run(dir, 'postgres', { schema });
    expect(r.report.status, r.report.error?.message).toBe('succeeded');
    expect(
      r.log.some((l) =>
        l.includes('loaded through Sluice, not in the server: column "id" is text'),
      ),
    ).toBe(true);
    expect(r.streamed).toBeGreaterThan(0);
  }, 120_000);

  it('beside a SQLite output, which reads the rows back, the table is still written in the server', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.csv'), csv(1, 50));
    const schema = testSchema();
    const r = await run(
      dir,
      'postgres',
      { schema },
      { extra: [{ kind: 'sqlite', table: 'orders' }] },
    );
    expect(r.report.status, r.report.error?.message).toBe('succeeded');
    expect(r.readBack).toBe(1); // for SQLite
    expect(r.streamed).toBe(0);
    expect(r.report.outputs.map((o) => o.rows)).toEqual([r.report.rowsOut, r.report.rowsOut]);
    expect((await table(schema)).rows).toHaveLength(r.report.rowsOut);
  }, 120_000);
});
