/**
 * sluice bench: reading, cleaning, writing, grouping, joining and loading a generated
 * 1,000,000-row dirty sales file, each phase in its own process so that its peak memory is its
 * own; pandas (and with --compare DuckDB and polars) does the same cleaning, grouping and joining
 * on the same file where a python here has it (resources/bench/peers.py --phase). The command is
 * registered in bench-command.ts, which loads this when it runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Pipeline, PostgresOutput, SqliteOutput } from '../../src-shared/recipe/pipeline';
import { Step } from '../../src-shared/recipe/steps';
import { planPipeline } from '../engine/pipeline';
import type { PathPolicy } from '../io/confine';
import { openCsv } from '../io/csv-read';
import { loadTypedTable } from '../io/typed-read';
import { previewStep } from '../preview/step-preview';
import { readPreviewRows } from '../preview/pages';
import { runPipeline } from '../orchestrator/run-pipeline';
import type { PipelineReport } from '../../src-shared/recipe/result';
import { pgConfig } from '../sinks/pg-config';
import { projectResources } from '../orchestrator/resources';
import { writeBenchSales } from '../demo/bench-data';
import { endToEnd, endToEndTable, PEERS, peerPhase, scaleTable, versus } from './bench-compare';
import { table } from './format';
import {
  dropEngineTable,
  enginePipeline,
  ENGINE_ROWS,
  engineWork,
  LOAD_OUTPUT,
  makeEngineTable,
} from './bench-engine';
import { TEXT_CLEAN } from './bench-steps';

const SLUICE_BIN = fileURLToPath(new URL('./sluice.mjs', import.meta.url));
const BENCH_DIR = join(tmpdir(), 'sluice-bench');
/** The bench pipeline's de-duplication key, which the peers use too. */
const KEY = ['Order Number', 'Line Item'];

/** The cleaning work: the same as resources/bench/peers.py --phase. */
export const BENCH_PIPELINE = Pipeline.parse({
  name: 'bench_sales',
  source: { path: 'sales.csv', encoding: 'utf-8', delimiter: ',', header: true },
  steps: [
    ...TEXT_CLEAN,
    {
      step: 'cast',
      columns: {
        'Order Number': 'int',
        'Line Item': 'int',
        CustomerKey: 'int',
        StoreKey: 'int',
        ProductKey: 'int',
        Quantity: 'int',
      },
    },
    { step: 'dedupe', key: KEY },
    { step: 'fill_missing', columns: { Quantity: 'mean' } },
    { step: 'filter', where: 'Quantity > 0' },
  ],
  outputs: [{ kind: 'csv', path: 'sales_clean.csv' }],
});

const GROUP_BY = Step.parse({
  step: 'aggregate',
  group_by: ['CustomerKey'],
  aggregations: [
    { column: 'Order Number', fn: 'count_distinct', as: 'orders' },
    { column: 'Quantity', fn: 'sum', as: 'quantity' },
    { column: 'Unit Price', fn: 'mean', as: 'mean_price' },
    { column: 'Order Date', fn: 'max', as: 'last_order' },
  ],
});
const JOIN = Step.parse({ step: 'join', with: { csv: 'products.csv' }, on: ['ProductKey'] });

export const PHASES = [
  { id: 'read', label: 'read (parse only)' },
  { id: 'clean', label: 'read + clean' },
  { id: 'full', label: 'read + clean + write CSV', peer: 'clean' },
  { id: 'groupby', label: 'read + clean + group by customer', peer: 'groupby' },
  { id: 'join', label: 'read + clean + join 2,517 products', peer: 'join' },
  { id: 'sqlite', label: 'read + clean + load into SQLite (full)' },
  { id: 'sqlite_upsert', label: 'read + clean + upsert into SQLite' },
  { id: 'postgres', label: 'read + clean + load into PostgreSQL (COPY)' },
  { id: 'postgres_upsert', label: 'read + clean + upsert into PostgreSQL (COPY + ON CONFLICT)' },
  { id: 'preview', label: 'preview of the last step (both sides kept to scroll)' },
  { id: 'engine_local', label: `PostgreSQL table: ${engineWork()}; local engine` },
  { id: 'engine_postgres', label: `PostgreSQL table: ${engineWork()}; in-database` },
  {
    id: 'engine_postgres_load',
    label: `PostgreSQL table: ${engineWork(true)} into a PostgreSQL table; in-database`,
  },
];

export interface PhaseResult {
  phase: string;
  rows: number;
  rowsOut: number;
  ms: number;
  rowsPerSec: number;
  peakMB: number;
  /** What else was measured (the preview's block reads). */
  note?: string;
  /** A load's own time (opening, taking each batch, committing), and its rate. */
  loadMs?: number;
  loadRowsPerSec?: number;
}

/** The bench reads its generated file and writes in a scratch folder. */
function benchPaths(dir: string, file: string): PathPolicy {
  return { projectDir: dir, dataDir: dir, allowed: [dirname(file)], protected: [] };
}

/**
 * The window's preview of the bench pipeline's last step over every row, then 200 reads of a
 * block of 200 rows at random places, as a user scrolling (or dragging the scrollbar) does.
 */
async function previewPhase(
  file: string,
): Promise<{ rows: number; rowsOut: number; note: string }> {
  const dir = join(tmpdir(), `sluice-bench-preview-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    const pipeline = { ...BENCH_PIPELINE, source: { ...BENCH_PIPELINE.source, path: file } };
    const meta = await previewStep({
      paths: benchPaths(dir, file),
      pipelines: [],
      pipeline,
      step: pipeline.steps.length - 1,
      dir,
    });
    const times: number[] = [];
    let seed = 1;
    for (let i = 0; i < 200; i++) {
      seed = (seed * 48271) % 2147483647;
      const side = i % 2 ? 'after' : 'before';
      const offset = seed % Math.max(1, meta[side].total - 200);
      const t = performance.now();
      await readPreviewRows(dir, meta, side, offset, 200);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const ms = (q: number): string => times[Math.floor(q * (times.length - 1))].toFixed(1);
    return {
      rows: meta.before.total,
      rowsOut: meta.after.total,
      note: `200-row block at a random place: median ${ms(0.5)} ms, p95 ${ms(0.95)} ms, max ${ms(1)} ms`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function cleanAnd(file: string, extra: Step[]): Promise<{ rows: number; rowsOut: number }> {
  const src = await openCsv(file, BENCH_PIPELINE.source);
  const products = extra.some((s) => s.step === 'join')
    ? await loadTypedTable(join(BENCH_DIR, 'products.csv'))
    : null;
  let rowsOut = 0;
  const planned = planPipeline(
    [...BENCH_PIPELINE.steps, ...extra],
    src.info.columns.map((name) => ({ name, type: 'string' as const })),
    { onOutput: (b) => (rowsOut += b.length) },
    { side: () => products! },
  );
  for await (const b of src.batches(() => undefined)) planned.push(b);
  planned.finish();
  return { rows: src.stats.rowsRead, rowsOut };
}

/**
 * Runs the bench pipeline with `outputs`; `seeded` first fills the tables with a full load of
 * the same rows (not timed), so that an upsert meets every key already there, as a daily
 * upsert of overlapping data does.
 */
async function writeAll(
  file: string,
  outputs: Pipeline['outputs'] = BENCH_PIPELINE.outputs,
  seeded = false,
  over: Partial<Pipeline> = {},
): Promise<{ rows: number; rowsOut: number; loadMs: number; ms: number }> {
  const dir = join(tmpdir(), `sluice-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const run = async (outs: Pipeline['outputs']): Promise<PipelineReport> => {
    const report = await runPipeline({
      projectDir: dir,
      resources: projectResources(benchPaths(dir, file), []),
      defaultDatabase: join(dir, 'bench.sqlite'),
      connections: {},
      pipeline: {
        ...BENCH_PIPELINE,
        outputs: outs,
        source: { ...BENCH_PIPELINE.source, path: file },
        ...over,
      },
      maxRejectRate: 1,
      recorder: { log: () => undefined, addRejects: () => undefined },
      previous: {},
      runId: 'bench',
    });
    if (report.status !== 'succeeded') throw new Error(report.error?.message);
    return report;
  };
  try {
    if (seeded) await run(outputs.map((o) => ({ ...o, mode: 'full' as const })));
    const t0 = performance.now();
    const report = await run(outputs);
    return {
      rows: report.rowsIn,
      rowsOut: report.rowsOut,
      loadMs: report.outputs[0].ms ?? 0,
      ms: performance.now() - t0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runPhase(phase: string, file: string): Promise<PhaseResult> {
  const t0 = performance.now();
  let r: { rows: number; rowsOut: number; note?: string; loadMs?: number; ms?: number };
  if (phase === 'preview') r = await previewPhase(file);
  else if (phase === 'read') {
    const src = await openCsv(file, BENCH_PIPELINE.source);
    let rows = 0;
    for await (const b of src.batches(() => undefined)) rows += b.length;
    r = { rows, rowsOut: rows };
  } else if (phase === 'clean') r = await cleanAnd(file, []);
  else if (phase === 'groupby') r = await cleanAnd(file, [GROUP_BY]);
  else if (phase === 'join') r = await cleanAnd(file, [JOIN]);
  else if (phase === 'sqlite' || phase === 'sqlite_upsert')
    r = await writeAll(
      file,
      [
        SqliteOutput.parse({
          kind: 'sqlite',
          table: 'sales',
          key: KEY,
          mode: phase === 'sqlite' ? 'full' : 'upsert',
          on_violation: 'skip',
        }),
      ],
      phase === 'sqlite_upsert',
    );
  else if (phase === 'postgres' || phase === 'postgres_upsert') {
    process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
    r = await writeAll(
      file,
      [
        PostgresOutput.parse({
          kind: 'postgres',
          schema: 'sluice_bench',
          table: phase,
          key: KEY,
          mode: phase === 'postgres' ? 'full' : 'upsert',
          on_violation: 'skip',
        }),
      ],
      phase === 'postgres_upsert',
    );
  } else if (phase === 'engine_local' || phase === 'engine_postgres') {
    process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
    r = await writeAll(
      file,
      BENCH_PIPELINE.outputs,
      false,
      enginePipeline(BENCH_PIPELINE, phase === 'engine_local' ? 'local' : 'postgres'),
    );
  } else if (phase === 'engine_postgres_load') {
    process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
    r = await writeAll(
      file,
      [LOAD_OUTPUT],
      false,
      enginePipeline(BENCH_PIPELINE, 'postgres', true),
    );
  } else r = await writeAll(file);
  const { ms = performance.now() - t0, loadMs, ...rest } = r;
  return {
    phase,
    ...rest,
    ms: Math.round(ms),
    rowsPerSec: Math.round((r.rows * 1000) / ms),
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(loadMs === undefined || phase === 'full'
      ? {}
      : { loadMs: Math.round(loadMs), loadRowsPerSec: Math.round((r.rowsOut * 1000) / loadMs) }),
  };
}

/** The PostgreSQL phases load into empty tables of their own schema. */
async function dropBenchSchema(): Promise<void> {
  const client = new pg.Client(
    pgConfig(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', undefined, {
      connectionTimeoutMillis: 5000,
    }),
  );
  try {
    await client.connect();
    await client.query('DROP SCHEMA IF EXISTS sluice_bench CASCADE');
  } catch (e) {
    process.stderr.write(
      `PostgreSQL is not reachable (${(e as Error).message}); its phases will fail\n`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function writeBenchProducts(path: string): void {
  let text = 'ProductKey,Product Name,Category\n';
  for (let p = 1; p <= 2517; p++) text += `${p},Product ${p},Category ${(p % 8) + 1}\n`;
  writeFileSync(path, text);
}

/** sluice bench's options (bench-command.ts). */
export interface BenchOptions {
  rows: number;
  file?: string;
  json?: boolean;
  compare?: boolean;
  phases: boolean;
  /** Only these phases, and no end-to-end clean. */
  only?: string[];
  /** Also the end-to-end clean of a file of this many rows (10,000,000: the scale check). */
  large?: number;
}

/** The generated file of `rows` rows in the bench folder, written when missing. */
async function benchFile(rows: number): Promise<string> {
  const file = join(BENCH_DIR, `sales-${rows}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows into ${file}...\n`);
    await writeBenchSales(file, rows);
  }
  return file;
}

/** sluice bench: the end-to-end clean, then every phase in a process of its own. */
export async function bench(o: BenchOptions): Promise<void> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = o.file ? resolve(o.file) : await benchFile(o.rows);
  const products = join(BENCH_DIR, 'products.csv');
  writeBenchProducts(products);
  // pandas side by side as always; DuckDB and polars too when asked to compare.
  const tools: string[] = o.compare ? [...PEERS] : ['pandas'];
  const unknown = (o.only ?? []).filter((id) => !PHASES.some((p) => p.id === id));
  if (unknown.length)
    throw new Error(
      `--only: no phase ${unknown.join(', ')} (there are ${PHASES.map((p) => p.id).join(', ')})`,
    );
  const e2e = o.only ? null : endToEnd(file, o.compare ?? false);
  if (e2e && !o.json) process.stdout.write(endToEndTable(e2e, table) + '\n');
  // With --compare, the peers clean the large file too (minutes, and GBs of memory for pandas).
  const large =
    e2e && o.large ? endToEnd(await benchFile(o.large), o.compare ?? false, false) : null;
  if (e2e && large && !o.json) {
    if (o.compare) process.stdout.write(endToEndTable(large, table) + '\n');
    process.stdout.write(scaleTable(e2e, large, table) + '\n');
  }
  const phases = o.only ? PHASES.filter((p) => o.only!.includes(p.id)) : o.phases ? PHASES : [];
  if (phases.some((p) => p.id.startsWith('postgres') || p.id.startsWith('engine_')))
    await dropBenchSchema();
  if (phases.some((p) => p.id.startsWith('engine_'))) {
    process.stderr.write(
      `making a ${ENGINE_ROWS.toLocaleString('en-US')}-row table on the server...\n`,
    );
    await makeEngineTable().catch((e: Error) =>
      process.stderr.write(`the in-database phases will fail: ${e.message}\n`),
    );
  }
  const results = phases.map((phase) => {
    const r = spawnSync(process.execPath, [SLUICE_BIN, 'bench-phase', phase.id, file], {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      // A phase that cannot run here (no PostgreSQL, say) is reported, not fatal.
      const why = r.stderr.split('\n').find((l) => l.trim()) ?? `exit ${r.status}`;
      return { ...phase, sluice: null, failure: why, peers: [] };
    }
    const sluice = JSON.parse(r.stdout) as PhaseResult;
    return {
      ...phase,
      sluice,
      failure: null,
      peers: phase.peer ? tools.map((t) => peerPhase(t, phase.peer, file, products, KEY)) : [],
    };
  });
  if (o.phases) await dropEngineTable().catch(() => undefined);
  const [local, inDb] = ['engine_local', 'engine_postgres'].map(
    (id) => results.find((r) => r.id === id)?.sluice,
  );
  if (local && inDb)
    inDb.note = `${ENGINE_ROWS.toLocaleString('en-US')} rows; ${(local.ms / inDb.ms).toFixed(2)}x the local engine's speed`;
  if (o.json) {
    process.stdout.write(JSON.stringify({ file, endToEnd: e2e, large, results }, null, 2) + '\n');
    return;
  }
  if (!results.length) return;
  const mb = statSync(file).size / 1e6;
  process.stdout.write(
    `${file}: ${(results[0].sluice?.rows ?? 0).toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB\n\n`,
  );
  const rows: (string | number)[][] = [];
  for (const r of results) {
    const s = r.sluice;
    if (!s) {
      rows.push([`sluice: ${r.label}`, 'failed', '', '', '', r.failure ?? '']);
      continue;
    }
    rows.push([
      `sluice: ${r.label}`,
      (s.ms / 1000).toFixed(2),
      s.rowsPerSec,
      s.peakMB,
      s.rowsOut,
      s.note ??
        (s.loadMs === undefined
          ? ''
          : `the load alone: ${(s.loadMs / 1000).toFixed(2)} s, ${s.loadRowsPerSec} rows/s`),
    ]);
    for (const p of r.peers) {
      if ('missing' in p) continue;
      rows.push([
        `${p.tool} ${p.version}${p.tool === 'duckdb' ? ' (2 threads)' : ''}: ${r.label}`,
        p.seconds.toFixed(2),
        Math.round(p.rowsIn / p.seconds),
        p.peakMB,
        p.rowsOut,
        versus(p.seconds, s.ms / 1000),
      ]);
    }
  }
  process.stdout.write(
    table(['work', 'seconds', 'rows/s', 'peak MB', 'rows out', 'vs Sluice, notes'], rows) + '\n',
  );
  const missing = new Map<string, string>();
  for (const r of results)
    for (const p of r.peers) if ('missing' in p) missing.set(p.tool, p.missing);
  if (missing.size)
    process.stdout.write(
      `\nnot measured: ${[...missing].map(([t, why]) => `${t} (${why})`).join('; ')}\n`,
    );
}
