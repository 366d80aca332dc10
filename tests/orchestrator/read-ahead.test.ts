/**
 * A run with its read-ahead thread (the source read, and the first steps run, on a thread of
 * their own) gives what a run on one thread gives: the same output bytes, the same report
 * (every step's books, the reader's counts), and the same rejected and removed rows, in the
 * same order, with their lines and records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BENCH_HEADER, writeBenchSales } from '../../src-main/demo/bench-data';
import { Pipeline, type Output } from '../../src-shared/recipe/pipeline';
import type { PipelineReport } from '../../src-shared/recipe/result';
import { rowsEstimate, runPipeline } from '../../src-main/orchestrator/run-pipeline';
import { RowKeys } from '../../src-main/engine/keys';
import { aheadSteps } from '../../src-main/orchestrator/read-ahead';
import { intColumns } from '../../src-main/orchestrator/read-ahead-ints';
import { Step } from '../../src-shared/recipe/steps';
import {
  startSpare,
  startSpareIfAsked,
  takeSpare,
} from '../../src-main/orchestrator/read-ahead-spare';
import { workerScript } from '../../src-main/orchestrator/worker-script';
import { projectResources } from '../../src-main/orchestrator/resources';
import type { RejectRow } from '../../src-main/store/store';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
let runs = 0;

async function run(
  pipeline: Pipeline,
  readAhead: 'always' | 'never',
  signal?: AbortSignal,
): Promise<{ report: PipelineReport; rejects: RejectRow[]; out: string | null }> {
  const rejects: RejectRow[] = [];
  const outPath = join(dir, `out-${runs++}.csv`);
  const report = await runPipeline({
    projectDir: dir,
    resources: projectResources({ projectDir: dir, dataDir: dir, allowed: [], protected: [] }, []),
    defaultDatabase: join(dir, 'x.sqlite'),
    connections: {},
    pipeline: { ...pipeline, outputs: [{ ...pipeline.outputs[0], path: outPath } as Output] },
    maxRejectRate: 1,
    recorder: { log: () => undefined, addRejects: (rows) => rejects.push(...rows) },
    previous: {},
    runId: 'r',
    readAhead,
    signal,
  });
  let out: string | null = null;
  try {
    out = readFileSync(outPath, 'utf8');
  } catch {
    // not written
  }
  return { report, rejects, out };
}

/** A report without its times. */
function books(r: PipelineReport): unknown {
  // Times differ from run to run; the books are the rest.
  const { startedAt: _s, finishedAt: _f, readMs: _r, ...rest } = r;
  return {
    ...rest,
    steps: r.steps.map(({ ms: _ms, ...s }) => s),
    outputs: r.outputs.map(({ path: _p, ms: _ms, ...o }) => o),
  };
}

/** The pipeline run with and without its read-ahead: the same books, output and rejected rows. */
async function sameAsOneThread(p: Pipeline): Promise<Awaited<ReturnType<typeof run>>> {
  const one = await run(p, 'never');
  const two = await run(p, 'always');
  expect(two.report.status).toBe('succeeded');
  expect(books(two.report)).toEqual(books(one.report));
  expect(two.rejects).toEqual(one.rejects);
  expect(two.out).toBe(one.out);
  return one;
}

const salesPipeline = (steps: unknown[]): Pipeline =>
  Pipeline.parse({
    name: 'sales',
    source: { path: join(dir, 'sales.csv') },
    steps,
    outputs: [{ kind: 'csv', path: 'x.csv' }],
  });

describe('read-ahead', () => {
  it('gives the same output, books and rejected rows as one thread', async () => {
    await writeBenchSales(join(dir, 'sales.csv'), 30_000, 11);
    const p = salesPipeline([
      { step: 'trim' },
      { step: 'nullify' },
      { step: 'parse_dates', columns: ['Order Date', 'Delivery Date'], formats: ['M/d/yyyy'] },
      { step: 'parse_numbers', columns: ['Unit Price'], on_invalid: 'reject' },
      { step: 'cast', columns: { Quantity: 'int', 'Line Item': 'int' }, on_error: 'reject' },
      { step: 'dedupe', key: ['Order Number', 'Line Item'] },
      { step: 'filter', where: 'Quantity > 3' },
    ]);
    expect(aheadSteps(p)).toEqual({ steps: 5, stages: 5 });
    const one = await sameAsOneThread(p);
    expect(one.report.rowsRejected).toBeGreaterThan(100);
    expect(one.report.rowsRemoved).toBeGreaterThan(1000);
  });

  it('reads as numbers only the columns its steps only trim and nullify before casting to int', () => {
    const cols = ['a', 'b', 'c'];
    const of = (steps: unknown[]): boolean[] =>
      intColumns(
        steps.map((s) => Step.parse(s)),
        cols,
      );
    const castAB = { step: 'cast', columns: { a: 'int', b: 'float' } };
    expect(of([{ step: 'trim' }, { step: 'nullify' }, castAB])).toEqual([true, false, false]);
    expect(of([{ step: 'parse_dates', columns: ['c'], formats: ['M/d/yyyy'] }, castAB])).toEqual([
      true,
      false,
      false,
    ]);
    // Parsed first, or kept as text where it does not convert: read as text.
    expect(of([{ step: 'parse_numbers', columns: ['a'] }, castAB])).toEqual([false, false, false]);
    expect(of([{ ...castAB, on_error: 'keep' }])).toEqual([false, false, false]);
    // A token of digits, or a step that may rewrite, rename or reorder columns, before the cast.
    expect(of([{ step: 'nullify', tokens: ['0'] }, castAB])).toEqual([false, false, false]);
    for (const s of [
      { step: 'replace', columns: ['c'], values: { x: 'y' } },
      { step: 'rename', columns: { c: 'd' } },
      { step: 'select', columns: ['a', 'b'] },
    ])
      expect(of([s, castAB])).toEqual([false, false, false]);
    // A disabled step is no step; no cast, no numbers.
    expect(of([{ step: 'rename', columns: { c: 'd' }, enabled: false }, castAB])).toEqual([
      true,
      false,
      false,
    ]);
    expect(of([{ step: 'trim' }])).toEqual([false, false, false]);
  });

  it('reads the columns it casts to int as numbers, with the same books, rows and rejects', async () => {
    await writeBenchSales(join(dir, 'sales.csv'), 30_000, 17);
    const ints = ['Order Number', 'Line Item', 'CustomerKey', 'StoreKey', 'ProductKey', 'Quantity'];
    const cast = { step: 'cast', columns: Object.fromEntries(ints.map((c) => [c, 'int'])) };
    let rejectedSome = false;
    // The import's recipe below reads those columns as numbers (where a batch's cells allow).
    const imported = salesPipeline([{ step: 'trim' }, { step: 'nullify' }, cast]);
    expect(intColumns(imported.steps, BENCH_HEADER)).toEqual(
      BENCH_HEADER.map((c) => ints.includes(c)),
    );
    for (const steps of [
      // The import's recipe, with rows rejected (a date format left out) around the numbers.
      [
        { step: 'trim' },
        { step: 'nullify' },
        { step: 'parse_dates', columns: ['Order Date', 'Delivery Date'], formats: ['M/d/yyyy'] },
        cast,
        { step: 'dedupe', key: ['Order Number', 'Line Item'] },
      ],
      // A token of digits: those columns are read as text, and "1" becomes null.
      [{ step: 'nullify', tokens: ['1'] }, cast],
      // Rows rejected by the cast itself, for another column ("1/13/2016" is no whole number).
      [
        { step: 'trim' },
        { step: 'nullify' },
        { ...cast, columns: { ...cast.columns, 'Delivery Date': 'int' } },
      ],
    ]) {
      const one = await sameAsOneThread(salesPipeline(steps));
      rejectedSome ||= one.rejects.length > 0;
    }
    expect(rejectedSome).toBe(true);
    // The first recipe's rejected rows show the numbers still to be cast as their digits.
    const first = await run(salesPipeline([{ step: 'trim' }, { step: 'nullify' }, cast]), 'always');
    expect(first.report.rowsRejected).toBe(0);
    const rejected = await run(
      salesPipeline([
        { step: 'parse_dates', columns: ['Order Date'], formats: ['M/d/yyyy'] },
        cast,
      ]),
      'always',
    );
    expect(rejected.rejects.length).toBeGreaterThan(100);
    for (const r of rejected.rejects.slice(0, 50))
      expect(typeof (r.record as Record<string, unknown>)['CustomerKey']).toBe('string');
  });

  it('runs a pipeline whose steps all go ahead, and one with a disabled step among them', async () => {
    await writeBenchSales(join(dir, 'sales.csv'), 5_000, 3);
    for (const steps of [
      [{ step: 'trim' }, { step: 'cast', columns: { StoreKey: 'int' } }],
      [{ step: 'trim' }, { step: 'sort', by: ['StoreKey'], enabled: false }, { step: 'nullify' }],
    ]) {
      await sameAsOneThread(salesPipeline(steps));
    }
  });

  it("sizes dedupe's key table for the rows the file holds, from where the rows read so far end", async () => {
    await writeBenchSales(join(dir, 'sales.csv'), 30_000, 13);
    const p = salesPipeline([
      { step: 'trim' },
      { step: 'dedupe', key: ['Order Number', 'Line Item'] },
    ]);
    const reserve = vi.spyOn(RowKeys.prototype, 'reserve');
    try {
      const two = await run(p, 'always');
      expect(two.report.status).toBe('succeeded');
      // One estimate, when the first rows come: the file's 30,000 rows and a quarter to spare.
      expect(reserve).toHaveBeenCalledTimes(1);
      const [rows] = reserve.mock.calls[0];
      expect(rows).toBeGreaterThan(30_000 * 1.1);
      expect(rows).toBeLessThan(30_000 * 1.4);
    } finally {
      reserve.mockRestore();
    }
  });

  it('estimates rows from the last line mark: lines per byte so far, times the bytes, and a quarter', () => {
    expect(rowsEstimate([2, 75, 130, 9675], 1_000_000)).toBe(16_667);
    // No mark (read on the run's thread, or a compressed file): no estimate.
    expect(rowsEstimate([], 1_000_000)).toBeUndefined();
    expect(rowsEstimate([2, 0], 1_000_000)).toBeUndefined();
  });

  it('takes a spare thread started before the run (still loading), with the same result', async () => {
    await writeBenchSales(join(dir, 'sales.csv'), 20_000, 7);
    const p = salesPipeline([
      { step: 'trim' },
      { step: 'nullify' },
      { step: 'cast', columns: { Quantity: 'int' }, on_error: 'reject' },
      { step: 'dedupe', key: ['Order Number', 'Line Item'] },
    ]);
    const one = await run(p, 'never');
    startSpare(workerScript());
    const two = await run(p, 'always');
    // The run took it: there is no spare left for another.
    expect(takeSpare(workerScript())).toBe(null);
    expect(two.report.status).toBe('succeeded');
    expect(books(two.report)).toEqual(books(one.report));
    expect(two.out).toBe(one.out);
  });

  it("starts a worker's spare when its worker data asks: before the worker's code, or after", async () => {
    const script = workerScript();
    const started = (data: unknown, when: 'start' | 'loaded'): boolean => {
      startSpareIfAsked(data, when);
      const w = takeSpare(script);
      void w?.terminate();
      return w !== null;
    };
    // `sluice import --run`: the main thread's code is loaded, so the spare starts at once.
    expect(started({ script, readAheadSpare: 'now' }, 'start')).toBe(true);
    expect(started({ script, readAheadSpare: 'now' }, 'loaded')).toBe(false);
    // `sluice run`: once the worker's code is loaded, not to take a core from the main thread's.
    expect(started({ script, readAheadSpare: true }, 'start')).toBe(false);
    expect(started({ script, readAheadSpare: true }, 'loaded')).toBe(true);
    expect(started({ script }, 'start') || started({ script }, 'loaded')).toBe(false);
  });

  it('stops its thread when the run is cancelled, and writes nothing', async () => {
    await writeBenchSales(join(dir, 'sales.csv'), 50_000, 5);
    const ctl = new AbortController();
    const p = salesPipeline([{ step: 'trim' }, { step: 'dedupe', key: ['Order Number'] }]);
    const running = run(p, 'always', ctl.signal);
    ctl.abort();
    const r = await running;
    expect(r.report.status).toBe('cancelled');
    expect(r.out).toBe(null);
  });
});
