/** Which pipeline runs, waits, is skipped or reused: the scheduling decision without a run. */
import { describe, expect, it } from 'vitest';
import { decide, decideRound, type RunState } from '../../src-main/orchestrator/decide';
import { emptyReport } from '../../src-main/orchestrator/run-pipeline';
import { Pipeline } from '../../src-shared/recipe/pipeline';
import type { PipelineReport } from '../../src-shared/recipe/result';

/** A pipeline reading a file, or another pipeline's output, depending on more by name. */
const p = (name: string, more: { reads?: string; after?: string[] } = {}): Pipeline =>
  Pipeline.parse({
    name,
    source: more.reads ? { pipeline: more.reads } : { path: `${name}.csv` },
    depends_on: more.after ?? [],
    steps: [],
  });

const report = (name: string, status: PipelineReport['status']): PipelineReport =>
  emptyReport(name, `${name}.csv`, status);

// stores, products -> sales (reads stores, waits for products) -> summary (reads sales)
const stores = p('stores');
const products = p('products');
const sales = p('sales', { reads: 'stores', after: ['products'] });
const summary = p('summary', { reads: 'sales' });
const ALL = [stores, products, sales, summary];

const state = (more: Partial<RunState> = {}): RunState => ({
  inRun: new Set(ALL.map((x) => x.name)),
  reuse: new Map(),
  reports: new Map(),
  running: 0,
  workers: 4,
  cancelled: false,
  ...more,
});
const actions = (round: ReturnType<typeof decideRound>): string[] =>
  round.map(
    ({ pipeline, decision }) =>
      `${pipeline.name}:${decision.action === 'start' ? 'start' : decision.report.status}`,
  );

describe('decide', () => {
  it('starts what has no upstream, and waits for upstreams that have not finished', () => {
    expect(decide(stores, state())).toEqual({ action: 'start' });
    expect(decide(sales, state())).toEqual({ action: 'wait' });
    const one = new Map([['stores', report('stores', 'succeeded')]]);
    expect(decide(sales, state({ reports: one }))).toEqual({ action: 'wait' }); // products too
    one.set('products', report('products', 'skipped')); // skipped by hand lets dependents run
    expect(decide(sales, state({ reports: one }))).toEqual({ action: 'start' });
  });

  it('waits for a free worker', () => {
    expect(decide(stores, state({ running: 4 }))).toEqual({ action: 'wait' });
    expect(decide(stores, state({ running: 3 }))).toEqual({ action: 'start' });
  });

  it('records upstream_failed, naming the upstream and how it ended', () => {
    const reports = new Map([
      ['stores', report('stores', 'failed')],
      ['products', report('products', 'succeeded')],
    ]);
    const d = decide(sales, state({ reports }));
    expect(d.action).toBe('record');
    if (d.action !== 'record') return;
    expect(d.report.status).toBe('upstream_failed');
    expect(d.report.error).toEqual({
      code: 'upstream_failed',
      message: 'upstream pipeline stores did not succeed (failed)',
    });
    expect(d.report.source.path).toBe('output of stores');
  });

  it('does not wait for an upstream outside the run', () => {
    expect(decide(sales, state({ inRun: new Set(['sales']) }))).toEqual({ action: 'start' });
  });

  it('reuses a resumed run result before anything else, and cancels the rest', () => {
    const old = { ...report('sales', 'succeeded'), reusedFrom: 'run_1' };
    const reuse = new Map([['sales', old]]);
    expect(decide(sales, state({ reuse, cancelled: true }))).toEqual({
      action: 'record',
      report: old,
    });
    const d = decide(stores, state({ cancelled: true }));
    expect(d.action === 'record' && d.report.status).toBe('cancelled');
  });
});

describe('decideRound', () => {
  it('a round counts its own starts against the workers', () => {
    expect(actions(decideRound(ALL, state({ workers: 1 })))).toEqual(['stores:start']);
    expect(actions(decideRound(ALL, state({ workers: 2 })))).toEqual([
      'stores:start',
      'products:start',
    ]);
  });

  it('a report recorded in a round lets later pipelines of the same round start or skip', () => {
    const reuse = new Map([
      ['stores', { ...report('stores', 'succeeded'), reusedFrom: 'run_1' }],
      ['products', { ...report('products', 'succeeded'), reusedFrom: 'run_1' }],
    ]);
    expect(actions(decideRound(ALL, state({ reuse })))).toEqual([
      'stores:succeeded',
      'products:succeeded',
      'sales:start',
    ]);
    const reports = new Map([
      ['stores', report('stores', 'failed')],
      ['products', report('products', 'succeeded')],
    ]);
    // sales is skipped, and so is summary, which reads it: a failure reaches all its dependents.
    expect(actions(decideRound([sales, summary], state({ reports })))).toEqual([
      'sales:upstream_failed',
      'summary:upstream_failed',
    ]);
  });

  it('leaves the state it was given as it was', () => {
    const reports = new Map([['stores', report('stores', 'failed')]]);
    decideRound([sales, summary], state({ reports }));
    expect([...reports.keys()]).toEqual(['stores']);
  });
});
