/**
 * Profiles, facets and clusters of a step's data through the service (as the window and the CLI
 * ask them), and the changed-cell count of parse_dates on the real Sales file: the preview's,
 * the run summary's and the run store's agree.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { SluiceService } from '../../src-main/service/api-service';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import { caller, type Call } from '../helpers/service';
import { sluice } from '../helpers/cli';
import { SHARED, tempDir } from '../helpers/tmp';

process.env.SLUICE_HOME = tempDir();
const dir = tempDir();
let svc: SluiceService;
const call: Call = (m, p) => caller(svc)(m, p);

const CITIES = ['Macon', 'MÂCON', 'Macon', 'Orleans', 'ORLÉANS', 'Paris', '', 'Paris', 'Lyon'];

beforeAll(async () => {
  mkdirSync(join(dir, 'pipelines'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'sluice.yaml'), 'name: facets\ndata: data\nstore: store.db\n');
  writeFileSync(
    join(dir, 'data', 'people.csv'),
    'id,city,n,day\n' +
      CITIES.map((c, i) => `${i + 1},${c},${i * 10},${i % 2 ? '1/13/2020' : '03-14-2021'}`).join(
        '\n',
      ) +
      '\n',
  );
  writeFileSync(
    join(dir, 'pipelines', 'people.yaml'),
    'name: people\nsource: {path: people.csv}\nsteps:\n  - step: cast\n    columns: {n: int}\n  - step: parse_dates\n    columns: [day]\n    formats: [M/d/yyyy, MM-dd-yyyy]\n  - step: drop\n    columns: [id]\noutputs:\n  - {kind: csv, path: out/people.csv}\n',
  );
  cpSync(join(SHARED, 'Sales.csv'), join(dir, 'data', 'Sales.csv'));
  writeFileSync(
    join(dir, 'pipelines', 'sales.yaml'),
    'name: sales\nsource: {path: Sales.csv}\nsteps:\n  - step: trim\n  - step: nullify\n  - step: parse_dates\n    columns: [Order Date, Delivery Date]\n    formats: [M/d/yyyy, MM-dd-yyyy]\noutputs:\n  - {kind: csv, path: out/sales.csv}\n',
  );
  svc = await SluiceService.open(dir);
}, 60_000);

afterAll(async () => {
  await svc?.close();
});

describe('pipelines.profile', () => {
  it('profiles the data after a step with its types, empty share, range and histogram', async () => {
    const p = await call('pipelines.profile', { name: 'people', step: 2 });
    expect(p).toMatchObject({ side: 'after', total: 9, matching: 9, facets: [] });
    const col = (n: string) => p.columns.find((c) => c.name === n)!;
    expect(col('n')).toMatchObject({ type: 'int', rows: 9, min: '0', max: '80' });
    expect(col('n').histogram.reduce((s, b) => s + b.count, 0)).toBe(9);
    expect(col('day')).toMatchObject({ type: 'date', min: '2020-01-13', max: '2021-03-14' });
    expect(col('city')).toMatchObject({ type: 'string', null_count: 1, distinct_count: 6 });
    // Before the step, the dates are text that reads as dates.
    const before = await call('pipelines.profile', { name: 'people', step: 2, side: 'before' });
    expect(before.columns.find((c) => c.name === 'day')).toMatchObject({
      type: 'string',
      inferred: 'date',
    });
  });

  it('counts the rows matching all facets; a faceted column is counted under the others', async () => {
    const facets = [
      { kind: 'values' as const, column: 'city', values: ['Paris', 'Lyon'] },
      { kind: 'range' as const, column: 'n', from: '60', to: null },
    ];
    const p = await call('pipelines.profile', { name: 'people', step: 2, facets });
    expect(p.matching).toBe(2); // Paris (70), Lyon (80)
    const city = p.columns.find((c) => c.name === 'city')!;
    // city under the n facet alone: n >= 60 is '' (60), Paris (70), Lyon (80).
    expect(city.rows).toBe(3);
    expect(city.top_values.map((t) => t.value).sort()).toEqual(['Lyon', 'Paris']);
    expect(p.columns.find((c) => c.name === 'n')!.rows).toBe(3); // Paris x2, Lyon
    expect(p.columns.find((c) => c.name === 'day')!.rows).toBe(2);
  });

  it('ignores a facet on a column the side does not have, and says so', async () => {
    const facets = [{ kind: 'values' as const, column: 'id', values: ['1', '2'] }];
    const after = await call('pipelines.profile', { name: 'people', step: 3, facets });
    expect(after).toMatchObject({ matching: 9, facets: [{ applied: false }] });
    const before = await call('pipelines.profile', {
      name: 'people',
      step: 3,
      side: 'before',
      facets,
    });
    expect(before).toMatchObject({ matching: 2, facets: [{ applied: true }] });
  });

  it('applies a facet on a column whose type the step changed to the data after it only', async () => {
    const facets = [{ kind: 'range' as const, column: 'day', from: '2021-01-01', to: null }];
    const at = { name: 'people', step: 2, facets };
    expect(await call('pipelines.profile', at)).toMatchObject({ matching: 5 });
    expect(await call('pipelines.profile', { ...at, side: 'before' })).toMatchObject({
      matching: 9,
      facets: [{ applied: false }],
    });
  });
});

describe('pipelines.previewRows with facets', () => {
  it('pages through the matching rows of each side, with their lines and changed cells', async () => {
    const facets = [{ kind: 'values' as const, column: 'city', values: ['Macon', null] }];
    const at = { name: 'people', step: 2, facets, offset: 0, limit: 10 };
    const after = await call('pipelines.previewRows', { ...at, side: 'after' });
    expect(after).toMatchObject({ total: 3, lines: [2, 4, 8], facets_applied: [true] });
    expect(after.rows.map((r) => r[1])).toEqual(['Macon', 'Macon', '']);
    expect(after.changed).toContainEqual([0, 'day']);
    const before = await call('pipelines.previewRows', { ...at, side: 'before', offset: 1 });
    expect(before).toMatchObject({ total: 3, lines: [4, 8] });
    const all = await call('pipelines.previewRows', { ...at, side: 'after', facets: [] });
    expect(all.total).toBe(9);
  });
});

describe('pipelines.clusters', () => {
  it('clusters near-identical values of a text column, with counts and a proposed value', async () => {
    const c = await call('pipelines.clusters', { name: 'people', step: 2, column: 'city' });
    expect(c).toMatchObject({ method: 'fingerprint', distinct: 6, rows: 8, total_clusters: 2 });
    expect(c.clusters[0]).toEqual({
      key: 'macon',
      values: [
        { value: 'Macon', count: 2 },
        { value: 'MÂCON', count: 1 },
      ],
      rows: 3,
      proposed: 'Macon',
    });
    const r = await createDispatcher(svc.handlers)('pipelines.clusters', {
      name: 'people',
      step: 2,
      column: 'n',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

describe('changed cells of parse_dates on the real Sales.csv', () => {
  it('the preview, the run summary and the run store count every date that changed', async () => {
    const preview = await call('pipelines.preview', { name: 'sales', step: 3, limit: 1 });
    const profile = await call('pipelines.profile', { name: 'sales', step: 3, side: 'before' });
    const filled = profile.columns.find((c) => c.name === 'Delivery Date')!;
    // Every Order Date and every Delivery Date there is is written M/d/yyyy or MM-dd-yyyy.
    const dates = 2 * profile.total - filled.null_count;
    expect(dates).toBe(76_049);
    expect(preview.counts?.cells_changed).toBe(dates);

    const r = sluice(['run', dir, '--pipeline', 'sales', '--only', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as RunReport;
    const step = run.pipelines[0].steps.find((s) => s.kind === 'parse_dates')!;
    expect(step.cellsChanged).toBe(dates);
    const report = await call('reports.export', { run_id: run.runId, format: 'json' });
    const summary = JSON.parse(report.content) as {
      pipelines: { report: RunReport['pipelines'][0] }[];
    };
    expect(summary.pipelines[0].report.steps[2].cellsChanged).toBe(dates);
  }, 120_000);
});
