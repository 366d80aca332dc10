/**
 * The run report of the example project's run over the real retail data, as a person gets it:
 * `sluice report --format html` opened in Chromium (no request beyond the file, no error, a
 * screenshot kept), `--format xlsx` read back with a reader library (typed cells equal to the
 * CSV outputs), `--format pdf` read back (pages, text), `sluice export`, and the same files
 * over the HTTP API with their type and name.
 */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { formatIsoDate, formatIsoDateTime } from '../../src-main/engine/dates';
import { formatNumber } from '../../src-main/engine/format';
import { StoreService } from '../../src-main/service/store-records';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import { sluiceIn } from '../helpers/cli';
import { exampleRun } from '../helpers/example-run';
import { tempDir } from '../helpers/tmp';

const SHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

let run: ReturnType<typeof exampleRun>;
let report: RunReport;
let out: string;

beforeAll(() => {
  run = exampleRun();
  report = run.report;
  out = tempDir('sluice-reports-');
  mkdirSync(SHOTS, { recursive: true });
});

const csvRows = (path: string): string[][] =>
  Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true }).data;

/** A cell as the CSV output writes its value. */
function asCsvText(v: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date)
    return numFmt === 'yyyy-mm-dd'
      ? formatIsoDate(v.getTime() / 86_400_000)
      : formatIsoDateTime(v.getTime());
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  throw new Error(`a cell that is neither a number, date, boolean nor text: ${JSON.stringify(v)}`);
}

describe('sluice report on the example run over the real data', () => {
  it('--format html: one page that opens from disk in Chromium with no request and no error', async () => {
    const file = join(out, 'report.html');
    const r = await sluiceIn([
      'report',
      report.runId,
      '--store',
      run.store,
      '--format',
      'html',
      '-o',
      file,
    ]);
    expect(r.stderr).toMatch(/^wrote .*report\.html \(\d/);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    // Self-contained: no script, no link to anything, its own policy forbids fetching.
    expect(html).not.toMatch(/<script|<link|src="http|url\(http/i);
    expect(html).toContain(`default-src 'none'`);

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (q) => requests.push(q.url()));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      await page.screenshot({ path: join(SHOTS, 'report-html-top.png') });
      await page.locator('#p-sales').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'report-html-sales.png') });
      expect(requests).toEqual([`file://${file}`]);
      expect(problems).toEqual([]);

      // Every pipeline has its section, its books as the run recorded them, and its charts.
      const sections = await page.locator('section.pipeline').count();
      expect(sections).toBe(report.pipelines.length);
      for (const p of report.pipelines) {
        const s = page.locator(`#p-${p.name}`);
        await expect(s.locator('h2').innerText()).resolves.toContain(p.name);
        await expect(s.locator('.kv').first().innerText()).resolves.toContain(
          `Rows out\n${p.rowsOut.toLocaleString('en-US')}`,
        );
        // The waterfall draws a bar for rows in, one or more per step, and rows out.
        expect(await s.locator('.chart svg').count()).toBeGreaterThanOrEqual(2);
        await expect(s.locator('pre').innerText()).resolves.toContain(`name: ${p.name}`);
      }
      // Rejects grouped by rule and reason, with the first rows as read: the top-50 limit
      // removes the other products of report_top_products.
      const top = report.pipelines.find((p) => p.name === 'report_top_products')!;
      const rejects = page.locator('#p-report_top_products table').nth(1);
      await expect(rejects.innerText()).resolves.toContain(top.rowsRemoved.toLocaleString('en-US'));
      // A data-quality row per column of each file output, with its type and empty share.
      const sales = page.locator('#p-sales');
      const header = csvRows(join(run.dir, 'out', 'sales.csv'))[0];
      for (const col of header)
        expect(
          await sales.getByRole('cell', { name: col, exact: true }).count(),
          col,
        ).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });

  it('--format xlsx: a Summary sheet, a sheet per report output, cells typed and equal to the CSV', async () => {
    const file = join(out, 'report.xlsx');
    const r = await sluiceIn([
      'report',
      report.runId,
      '--store',
      run.store,
      '--format',
      'xlsx',
      '-o',
      file,
    ]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    // The report pipelines: report_* and customer_orders (report: true in its recipe).
    const reports = report.pipelines.filter(
      (p) => p.name.startsWith('report_') || p.name === 'customer_orders',
    );
    expect(reports).toHaveLength(8);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      ...reports.map((p) => p.name.slice(0, 31)),
    ]);

    const summary = wb.getWorksheet('Summary')!;
    const cells = summary.getSheetValues().flat();
    expect(cells).toContain(report.runId);
    const head = summary.views[0] as { state: string; ySplit: number };
    expect(head.state).toBe('frozen');
    for (const p of report.pipelines) {
      const row = summary
        .getRows(head.ySplit + 1, report.pipelines.length)!
        .find((x) => x.getCell(1).value === p.name)!;
      expect(row.getCell(4).value).toBe(p.rowsIn); // a number, not the text of one
      expect(row.getCell(5).value).toBe(p.rowsOut);
    }

    const typed = { number: 0, date: 0, text: 0 };
    for (const p of reports) {
      const ws = wb.getWorksheet(p.name.slice(0, 31))!;
      const csv = csvRows(p.outputs[0].path);
      expect(ws.rowCount).toBe(csv.length);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBeTruthy();
      for (let c = 1; c <= csv[0].length; c++)
        expect(ws.getColumn(c).width).toBeGreaterThanOrEqual(8);
      csv.forEach((line, i) => {
        const row = ws.getRow(i + 1);
        line.forEach((text, c) => {
          const cell = row.getCell(c + 1);
          expect(asCsvText(cell.value, cell.numFmt), `${p.name} row ${i + 1} col ${c + 1}`).toBe(
            text,
          );
          if (i === 0) return;
          if (typeof cell.value === 'number') typed.number++;
          else if (cell.value instanceof Date) typed.date++;
          else if (typeof cell.value === 'string') typed.text++;
        });
      });
    }
    // Numbers, dates and text all occur: the report outputs have counts, sales dates and names.
    expect(typed.number).toBeGreaterThan(1000);
    expect(typed.date).toBeGreaterThan(1000);
    expect(typed.text).toBeGreaterThan(100);
  });

  it('--format pdf: pages Chromium printed, with the report in them', async () => {
    const file = join(out, 'report.pdf');
    const r = await sluiceIn(
      ['report', report.runId, '--store', run.store, '--format', 'pdf', '-o', file],
      {
        CHROMIUM_PATH,
      },
    );
    expect(r.stderr).toMatch(new RegExp(`^wrote ${file} \\(\\d+(\\.\\d)? (KiB|MiB)\\)\n$`));
    expect(r.code).toBe(0);
    const doc = await getDocument({
      data: new Uint8Array(readFileSync(file)),
      isEvalSupported: false,
    }).promise;
    expect(doc.numPages).toBeGreaterThan(report.pipelines.length); // a page or more per pipeline
    const first = await (await doc.getPage(1)).getTextContent();
    const text = first.items.map((i) => ('str' in i ? i.str : '')).join(' ');
    expect(text).toContain('global-electronics — run report');
    expect(text).toContain(report.runId);
  });

  it('--format pdf without a Chromium says what to install, in one line', async () => {
    const r = await sluiceIn(
      ['report', report.runId, '--store', run.store, '--format', 'pdf', '-o', join(out, 'x.pdf')],
      {
        PATH: '/nonexistent',
        CHROMIUM_PATH: '',
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^sluice: a PDF needs Chromium or Google Chrome.*apt-get install chromium.*CHROMIUM_PATH/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(out, 'x.pdf'))).toBe(false);
  });

  it('--pipeline chooses pipelines; an unknown one is named with those there are', async () => {
    const r = await sluiceIn([
      'report',
      report.runId,
      '--store',
      run.store,
      '--format',
      'csv',
      '--pipeline',
      'stores',
    ]);
    expect(r.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(r.stdout, {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows.map((x) => x.pipeline)).toEqual(['stores']);
    const bad = await sluiceIn([
      'report',
      report.runId,
      '--store',
      run.store,
      '--format',
      'html',
      '--pipeline',
      'nope',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `run ${report.runId} has no pipeline "nope"; its pipelines: customers`,
    );
  });
});

describe('sluice export: one output', () => {
  it('as an Excel sheet with typed cells, or the CSV itself', async () => {
    const p = report.pipelines.find((x) => x.name === 'report_sales_by_date')!;
    const xlsx = join(out, 'by-date.xlsx');
    const r = await sluiceIn([
      'export',
      report.runId,
      '--store',
      run.store,
      '--pipeline',
      p.name,
      '--format',
      'xlsx',
      '-o',
      xlsx,
    ]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['sales_by_date']);
    const row = wb.worksheets[0].getRow(2);
    expect(row.getCell(1).value).toBeInstanceOf(Date);
    expect(row.getCell(1).numFmt).toBe('yyyy-mm-dd');
    expect(typeof row.getCell(2).value).toBe('number');

    const csv = join(out, 'by-date.csv');
    expect(
      (
        await sluiceIn([
          'export',
          report.runId,
          '--store',
          run.store,
          '--pipeline',
          p.name,
          '-o',
          csv,
        ])
      ).code,
    ).toBe(0);
    expect(readFileSync(csv, 'utf8')).toBe(readFileSync(p.outputs[0].path, 'utf8'));
    // The output file itself is copied, never moved or deleted.
    expect(existsSync(p.outputs[0].path)).toBe(true);
  });
});

describe('the same files over the HTTP API', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const svc = new StoreService(run.store);
    const service = {
      handlers: svc.handlers,
      subscribe: () => () => undefined,
      followLogs: svc.followLogs.bind(svc),
    };
    server = await serve(service as never, { port: 0, apiKey: 'k' });
  });
  afterAll(() => server?.close());

  it('streams the workbook with its type and name, and leaves no temporary file', async () => {
    const res = await fetch(
      `${server.url}/api/runs/${report.runId}/report/file?format=xlsx&pipeline=stores&pipeline=products`,
      {
        headers: { 'X-API-Key': 'k' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="global-electronics-report-[\d-]+-\w+\.xlsx"/,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(Number(res.headers.get('content-length')));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'products', 'stores']);
    // The file was made for this request: it is gone once sent.
    const mine = (): string[] =>
      readdirSync(tmpdir()).filter(
        (f) => f.startsWith('sluice-') && f.endsWith('.xlsx') && f.includes(report.runId.slice(-6)),
      );
    await expect.poll(mine).toEqual([]);
  });

  it('refuses a bad format with a clear 400, and an unknown run with 404', async () => {
    const bad = await fetch(`${server.url}/api/runs/${report.runId}/report/file?format=docx`, {
      headers: { 'X-API-Key': 'k' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/format/);
    const none = await fetch(`${server.url}/api/runs/run_1/report/file?format=html`, {
      headers: { 'X-API-Key': 'k' },
    });
    expect(none.status).toBe(404);
  });
});
