/**
 * sluice bench's in-database phases: a table of dirty sales rows made on the server with
 * generate_series (10,000,000 by default; SLUICE_BENCH_ENGINE_ROWS to change it), cleaned as the
 * bench cleans its file and grouped by customer, once with the local engine (the rows streamed
 * here through a cursor) and once with `engine: postgres` (the work done by the server, only the
 * groups coming back). Each runs in a process of its own, so its peak memory is its own.
 */
import pg from 'pg';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import { PostgresOutput, PostgresSource } from '../../src-shared/recipe/pipeline';
import { Step } from '../../src-shared/recipe/steps';
import { z } from 'zod';
import { pgConfig } from '../sinks/pg-config';
import { TEXT_CLEAN } from './bench-steps';

export const ENGINE_ROWS = Number(process.env.SLUICE_BENCH_ENGINE_ROWS ?? 10_000_000);
const TABLE = 'sluice_bench.engine_sales';

/** The bench file's columns and kinds of dirt, made by the server: M/d/yyyy and MM-dd-yyyy dates, */
/** "$1,234.50 " prices, " N/A " and empty quantities, 20,000 customers. */
const MAKE = (rows: number): string => `CREATE TABLE ${TABLE} AS SELECT
  (366000 + g / 2)::text AS "Order Number",
  (1 + g % 2)::text AS "Line Item",
  CASE WHEN extract(day FROM date '2016-01-01' + g % 1800) <= 12
    THEN to_char(date '2016-01-01' + g % 1800, 'MM-DD-YYYY')
    ELSE to_char(date '2016-01-01' + g % 1800, 'FMMM/FMDD/YYYY') END AS "Order Date",
  CASE WHEN g % 5 = 0 THEN to_char(date '2016-01-05' + g % 1800, 'FMMM/FMDD/YYYY') ELSE '' END AS "Delivery Date",
  (301 + (g::bigint * 7919) % 20000)::text AS "CustomerKey",
  (g % 67)::text AS "StoreKey",
  (1 + g % 2517)::text AS "ProductKey",
  CASE WHEN g % 331 = 0 THEN ' N/A ' WHEN g % 337 = 0 THEN '' ELSE (1 + g % 9)::text END AS "Quantity",
  (ARRAY['USD', 'CAD', 'AUD', 'EUR', 'GBP'])[1 + g % 5] AS "Currency Code",
  CASE WHEN g % 199 = 0 THEN 'n/a' ELSE '$' || to_char((g % 300000) / 100.0, 'FM999,990.00') || ' ' END AS "Unit Price",
  'Smith, John ' || (1 + g % 977) AS "Customer Name"
FROM generate_series(1, ${rows}) g`;

async function withServer<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const c = new pg.Client(pgConfig(url, undefined, { connectionTimeoutMillis: 5000 }));
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Makes the phases' table (the bench schema is new: bench.ts dropped it). */
export function makeEngineTable(rows = ENGINE_ROWS): Promise<void> {
  return withServer(async (c) => {
    await c.query('CREATE SCHEMA IF NOT EXISTS sluice_bench');
    await c.query(MAKE(rows));
    await c.query(`ANALYZE ${TABLE}`);
  });
}

/** Drops the table, and the rows the in-database phase recorded as removed (sluice_rejects). */
export function dropEngineTable(): Promise<void> {
  return withServer(async (c) => {
    await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await c.query(
      `DELETE FROM sluice.sluice_rejects WHERE run_id = 'bench' AND pipeline = 'bench_sales'`,
    );
  });
}

/**
 * The bench file's text clean (trim, nullify, two date formats, prices), then typing, dedupe,
 * a filter and grouping by customer: the text steps are the ones that cost a server most.
 */
const ENGINE_STEPS = z.array(Step).parse([
  ...TEXT_CLEAN,
  {
    step: 'cast',
    columns: { 'Order Number': 'int', 'Line Item': 'int', CustomerKey: 'int', Quantity: 'int' },
    on_error: 'null',
  },
  { step: 'dedupe', key: ['Order Number', 'Line Item'] },
  { step: 'filter', where: 'Quantity > 0' },
  {
    step: 'aggregate',
    group_by: ['CustomerKey'],
    aggregations: [
      { column: 'Order Number', fn: 'count_distinct', as: 'orders' },
      { column: 'Quantity', fn: 'sum', as: 'quantity' },
      { column: 'Unit Price', fn: 'mean', as: 'mean_price' },
      { column: 'Order Date', fn: 'max', as: 'last_order' },
    ],
  },
]);

/**
 * The same clean without the group by, every row kept into a PostgreSQL table of the same
 * database: the in-database run writes it inside the server (SLUICE_IN_SERVER=never: through
 * Sluice, as before), which is what `engine_postgres_load` measures.
 */
const LOAD_STEPS = ENGINE_STEPS.filter((s) => s.step !== 'aggregate' && s.step !== 'dedupe');
export const LOAD_OUTPUT = PostgresOutput.parse({
  kind: 'postgres',
  schema: 'sluice_bench',
  table: 'engine_load',
});

/**
 * What a phase does, named from the steps it runs so that the bench's labels stay true:
 * "trim, nullify, parse_dates, parse_numbers, cast, dedupe, filter, group by".
 */
export function engineWork(load = false): string {
  const steps = load ? LOAD_STEPS : ENGINE_STEPS;
  return steps.map((s) => (s.step === 'aggregate' ? 'group by' : s.step)).join(', ');
}

/** The bench pipeline over the server's table with `engine` and the steps above. */
export function enginePipeline(
  p: Pipeline,
  engine: 'local' | 'postgres',
  load = false,
): Partial<Pipeline> {
  return {
    engine,
    steps: load ? LOAD_STEPS : ENGINE_STEPS,
    // The server's statement may take minutes at 10M rows (the default bound is 300 s).
    timeout: 3600,
    source: {
      ...p.source,
      path: undefined,
      postgres: PostgresSource.parse({ query: `SELECT * FROM ${TABLE}` }),
    },
  };
}
