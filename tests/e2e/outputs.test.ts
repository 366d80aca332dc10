/**
 * The Outputs view in Debian's Chromium against the built renderer served by the HTTP server:
 * after Run all, the Reports section lists the report by its description; an output opens in
 * a paged grid that sorts on a header click; a CSV file and a SQLite table both open; Excel
 * downloads with typed cells; the HTML report opens in a new tab without any request or error.
 */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const KEY = 'e2e-outputs-key';
const REGIONS = ['North', 'South', 'East', 'West', 'Centre'];

let browser: Browser;
let page: Page;
let server: RunningServer;
let service: SluiceService;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    throw new Error('the UI is not built: run npm run build first (npm test does)');
  mkdirSync(SHOTS, { recursive: true });
  process.env.SLUICE_HOME = tempDir();
  // 250 sales: region i % 5, amount i, so each region's total is known.
  const csv =
    'id,region,amount,day\n' +
    Array.from(
      { length: 250 },
      (_, i) =>
        `${i + 1},${REGIONS[i % 5]},${i + 1},2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
    ).join('\n') +
    '\n';
  const dir = makeProject(
    {
      sales: `description: Every sale\nsource: {path: small.csv}\nsteps:\n  - step: cast\n    columns: {amount: int, day: date}\noutputs:\n  - {kind: csv, path: out/sales.csv}\n  - {kind: sqlite, path: out/shop.sqlite, table: sales, mode: full}\n`,
      report_by_region: `description: Sales per region\ndepends_on: [sales]\nsource: {pipeline: sales}\nsteps:\n  - step: aggregate\n    group_by: [region]\n    aggregations:\n      - {column: amount, fn: sum, as: total}\noutputs:\n  - {kind: csv, path: out/reports/by_region.csv}\n`,
    },
    { name: 'outputs-e2e', smallCsv: csv },
  );
  service = await SluiceService.open(dir);
  server = await serve(service, { port: 0, apiKey: KEY, staticDir: join(ROOT, 'out', 'renderer') });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  context.on('page', (p) => {
    p.on('pageerror', (e) => problems.push(e.message));
    p.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  });
  page = await context.newPage();
  await page.goto(`${server.url}/#key=${KEY}`);
  await page.waitForSelector('[data-testid=project-name]:text("outputs-e2e")');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await server?.close();
});

afterEach(() => {
  expect(problems).toEqual([]);
});

describe('the Outputs view', () => {
  it('before any run, says how outputs come', async () => {
    await page.getByRole('tab', { name: 'Outputs' }).click();
    await expect.poll(() => page.getByTestId('outputs-view').textContent()).toContain('No run yet');
  });

  it(
    'after Run all, lists the report by its description and every output',
    { timeout: 180_000 },
    async () => {
      await page.getByRole('button', { name: 'Run all' }).click();
      // Run all shows the run; its outputs are one tab away.
      await expect
        .poll(() => page.getByTestId('run-status').textContent(), { timeout: 90_000 })
        .toBe('succeeded');
      await page.getByRole('tab', { name: 'Outputs' }).click();
      await expect
        .poll(() => page.getByTestId('outputs-run-status').textContent())
        .toBe('succeeded');
      const reports = page.getByTestId('reports-section');
      await expect.poll(() => reports.textContent()).toContain('Sales per region');
      await expect.poll(() => reports.textContent()).toContain('report_by_region · 5 rows');
      const table = page.getByTestId('outputs-table');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
      await expect.poll(() => table.textContent()).toContain('sales in ');
    },
  );

  it('opens the report in a grid, and sorts it by a header click', async () => {
    await page.getByRole('button', { name: 'Sales per region' }).click();
    const open = page.getByTestId('output-open');
    await expect
      .poll(() => open.getByTestId('output-count').textContent())
      .toContain('5 rows · 2 columns');
    const firstTotal = () => open.locator('.ag-row[row-index="0"] [col-id="total"]').textContent();
    await expect
      .poll(firstTotal)
      .toBe(String(Array.from({ length: 50 }, (_, i) => 5 * i + 1).reduce((a, b) => a + b)));
    // Descending by total: West (4, 9, …, 249) is the largest.
    await open.locator('.ag-header-cell[col-id="total"]').click();
    await open.locator('.ag-header-cell[col-id="total"]').click();
    await expect
      .poll(() => open.locator('.ag-row[row-index="0"] [col-id="region"]').textContent())
      .toBe('Centre');
    await page.screenshot({ path: join(SHOTS, 'outputs-view.png'), fullPage: true });
  });

  it('opens a SQLite table and pages through its 250 rows', async () => {
    const row = page.getByTestId('outputs-table').locator('tbody tr', { hasText: 'shop.sqlite' });
    await row.getByRole('button', { name: 'Open' }).click();
    const open = page.getByTestId('output-open');
    await expect.poll(() => open.getByTestId('output-count').textContent()).toContain('250 rows');
    await open.locator('.ag-header-cell[col-id="amount"]').click();
    await open.locator('.ag-header-cell[col-id="amount"]').click();
    await expect
      .poll(() => open.locator('.ag-row[row-index="0"] [col-id="amount"]').textContent())
      .toBe('250');
  });

  it('downloads an output as Excel with typed cells', async () => {
    const row = page.getByTestId('outputs-table').locator('tbody tr', { hasText: 'sales.csv' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Excel' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('sales.xlsx');
    const file = join(tempDir(), 'sales.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(251);
    expect(ws.getRow(2).values).toEqual([
      undefined,
      1,
      'North',
      1,
      new Date('2026-01-01T00:00:00Z'),
    ]);
  });

  it('opens the HTML report in a new tab: the run, its pipelines, no request beyond it', async () => {
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page
        .getByTestId('outputs-view')
        .getByRole('group', { name: 'Run report' })
        .getByRole('button', { name: 'HTML' })
        .click(),
    ]);
    const requests: string[] = [];
    tab.on('request', (r) => requests.push(r.url()));
    await tab.waitForURL(/^blob:/);
    await expect.poll(() => tab.locator('h1').textContent()).toBe('outputs-e2e — run report');
    expect(await tab.locator('section.pipeline').count()).toBe(2);
    await tab.screenshot({ path: join(SHOTS, 'report-from-window.png') });
    expect(requests.filter((u) => !u.startsWith('blob:'))).toEqual([]);
    await tab.close();
  });
});
