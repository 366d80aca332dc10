/**
 * The global-electronics example runs as a graph on the real files: the four dimension tables
 * side by side, sales after products, the reports after all five tables.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineReport, RunReport } from '../../src-shared/recipe/result';
import { runFolder } from '../../src-main/orchestrator/run-project';
import { exampleRun } from '../helpers/example-run';

describe('the example project as a graph', () => {
  it('runs the dimensions in parallel, sales after products, reports after all five', () => {
    // The shared run: `sluice run <example> --data <real files> --workers 4 --json`.
    const { report: run, store } = exampleRun();
    expect(run.workers).toBe(4);
    const p: Record<string, PipelineReport> = Object.fromEntries(
      run.pipelines.map((x) => [x.name, x]),
    );
    const t = (iso: string): number => Date.parse(iso);
    for (const x of run.pipelines) {
      expect(x.status).toBe('succeeded');
      expect(x.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(x.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Number.isInteger(x.worker)).toBe(true);
    }
    const dims = ['customers', 'products', 'stores', 'exchange_rates'];
    // All four start before any of them has finished, each on its own worker.
    const firstDone = Math.min(...dims.map((d) => t(p[d].finishedAt)));
    for (const d of dims) expect(t(p[d].startedAt)).toBeLessThanOrEqual(firstDone);
    expect(new Set(dims.map((d) => p[d].worker)).size).toBe(4);
    expect(t(p.sales.startedAt)).toBeGreaterThanOrEqual(t(p.products.finishedAt));
    const fiveDone = Math.max(...[...dims, 'sales'].map((d) => t(p[d].finishedAt)));
    const reports = run.pipelines.filter((x) => x.name.startsWith('report_'));
    expect(reports).toHaveLength(7);
    for (const x of reports) expect(t(x.startedAt)).toBeGreaterThanOrEqual(fiveDone);
    expect(p.sales.rowsOut).toBe(62884);
    expect(p.exchange_rates.rowsOut).toBe(11215);
    // The execution summary in the run folder says the same.
    const summary = JSON.parse(
      readFileSync(join(runFolder(store, run.runId), 'summary.json'), 'utf8'),
    ) as RunReport;
    expect(summary.pipelines.map((x) => [x.name, x.startedAt, x.finishedAt, x.worker])).toEqual(
      run.pipelines.map((x) => [x.name, x.startedAt, x.finishedAt, x.worker]),
    );
  });
});
