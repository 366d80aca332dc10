/**
 * The UI in Debian's Chromium (playwright-core) against `sluice serve`'s built renderer: the
 * example project on the real data, importing the real Customers.csv, adding and reordering a
 * rule with its preview, running the project and watching the graph, the run's log and rejects.
 * Screenshots of each screen go to test-output/screenshots (not committed).
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { SHARED, tempDir } from '../helpers/tmp';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const KEY = 'e2e-key';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let page: Page;
let server: RunningServer;
let service: SluiceService;
let dir: string;

const shot = (name: string): Promise<Buffer> =>
  page.screenshot({ path: join(SHOTS, `${name}.png`) });

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    throw new Error('the UI is not built: run npm run build first (npm test does)');
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(SHOTS, { recursive: true });
  dir = tempDir();
  cpSync(join(ROOT, 'config', 'examples', 'global-electronics'), dir, { recursive: true });
  // The data folder is a copy: the UI's uploads must never write into ../shared.
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  for (const f of [
    'Customers.csv',
    'Products.csv',
    'Stores.csv',
    'Exchange_Rates.csv',
    'Sales.csv',
  ])
    cpSync(join(SHARED, f), join(data, f));
  service = await SluiceService.open(dir, { storePath: join(dir, 'store.db') });
  server = await serve(service, { port: 0, apiKey: KEY, staticDir: join(ROOT, 'out', 'renderer') });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/#key=${KEY}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await server?.close();
});

describe('the UI in Chromium', () => {
  it('opens the project with the key from the address, then takes the key out of it', async () => {
    await expect
      .poll(() => page.textContent('[data-testid=project-name]'))
      .toBe('global-electronics');
    expect(page.url()).not.toContain('key=');
    await page.waitForSelector('[data-testid=pipelines-table]');
    const rows = await page.locator('[data-testid=pipelines-table] tbody tr').count();
    expect(rows).toBe(16);
    await shot('1-pipelines');
  });

  it('takes the real Customers.csv (windows-1252) dropped on the window and makes a pipeline of it', async () => {
    // Dropped on the window, as from a file manager: a DataTransfer holding the real bytes.
    const bytes = readFileSync(join(SHARED, 'Customers.csv')).toString('base64');
    const transfer = await page.evaluateHandle((b64) => {
      const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      // Runs in the page (DOM types are not in the tests' type set).
      const DT = (
        globalThis as unknown as { DataTransfer: new () => { items: { add(f: File): void } } }
      ).DataTransfer;
      const dt = new DT();
      dt.items.add(new File([raw], 'Customers.csv', { type: 'text/csv' }));
      return dt;
    }, bytes);
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
    await page.waitForSelector('.overlay');
    await shot('2a-drop-overlay');
    await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
    const card = page.locator('[data-testid="import-Customers.csv"]');
    // The data folder has a Customers.csv already: nothing is replaced without asking.
    await expect.poll(() => card.textContent()).toContain('already in the data folder');
    await card.getByRole('button', { name: 'Replace it with this one' }).click();
    await expect
      .poll(() => card.locator('select[aria-label=encoding]').inputValue(), { timeout: 20_000 })
      .toBe('windows-1252');
    await expect.poll(() => card.textContent()).toContain('15,266 rows');
    const grid = await card.locator('[data-testid=import-grid]').textContent();
    expect(grid).toContain('Lilly Harding');
    expect(grid).not.toContain('\uFFFD');
    // A pipeline "customers" exists in the example: name this one differently.
    await card.locator('input[aria-label="pipeline name"]').fill('customers_raw');
    await shot('2-import');
    await card.getByRole('button', { name: /Create pipeline customers_raw/ }).click();
    await expect.poll(() => card.textContent()).toContain('pipeline customers_raw created');
    const yaml = readFileSync(join(dir, 'pipelines', 'customers_raw.yaml'), 'utf8');
    expect(yaml).toContain('encoding: windows-1252');
    // What the browser streamed is the file, byte for byte.
    expect(
      readFileSync(join(dir, 'data', 'Customers.csv')).equals(
        readFileSync(join(SHARED, 'Customers.csv')),
      ),
    ).toBe(true);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.waitForSelector('[data-testid=pipeline-customers_raw]');
  });

  it('adds a rule and shows the cells it changed and its counts; reorders and undoes', async () => {
    await page.click('[data-testid=pipeline-stores]');
    await page.waitForSelector('[data-testid=step-5]');
    await page.click('[data-testid=step-5] .label');
    await expect
      .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 30_000 })
      .toContain('step 5: dedupe');
    // A new rule after step 5: upper-case the Country column.
    await page.selectOption('select[aria-label="new step kind"]', 'case');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.waitForSelector('[data-testid=step-6]');
    const form = page.locator('[data-testid=step-form]');
    await form.locator('input[aria-label=columns]').fill('Country');
    await form.locator('input[aria-label=columns]').blur();
    await form.locator('select[aria-label=to]').selectOption('upper');
    await expect
      .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 30_000 })
      .toContain('step 6: case');
    await expect
      .poll(() => page.textContent('[data-testid=count-cellsChanged]'), { timeout: 30_000 })
      .toMatch(/[1-9]/);
    expect(await page.locator('[data-testid=grid-after] .cell-changed').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=grid-after]')).toContain('AUSTRALIA');
    expect(await page.inputValue('textarea[aria-label="recipe yaml"]')).toMatch(
      /- step: case\n\s+columns:\s*\n?\s*- Country\n\s+to: upper/,
    );
    await shot('3-editor-preview');

    // Reorder: step 6 up to 5, then undo puts it back.
    await page.click('button[aria-label="move step 6 up"]');
    await expect.poll(() => page.textContent('[data-testid=step-5] .label')).toContain('case');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.textContent('[data-testid=step-5] .label')).toContain('dedupe');
    await expect.poll(() => page.textContent('[data-testid=step-6] .label')).toContain('case');
    // Saved as written, the comment in the outputs kept.
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => readFileSync(join(dir, 'pipelines', 'stores.yaml'), 'utf8'))
      .toContain('to: upper');
    expect(readFileSync(join(dir, 'pipelines', 'stores.yaml'), 'utf8')).toContain(
      '# out/global-electronics.sqlite',
    );
  });

  it('runs the project and the graph turns green; the run shows its log and exports rejects', async () => {
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.waitForSelector('[data-testid=node-sales]');
    await shot('4-graph-before');
    await page.getByRole('button', { name: 'Run all' }).first().click();
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect
      .poll(
        async () => {
          const statuses = await page
            .locator('[data-testid^=node-]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
          return statuses.length > 0 && statuses.every((s) => s === 'succeeded');
        },
        { timeout: 120_000, interval: 500 },
      )
      .toBe(true);
    await shot('5-graph-green');
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.locator('[data-testid=runs-table] tbody tr').first().click();
    await expect.poll(() => page.textContent('[data-testid=run-status]')).toBe('succeeded');
    await expect.poll(() => page.textContent('[data-testid=log]')).toContain('run succeeded');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.textContent('[data-testid=rejects-total]')).toMatch(/\d/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = await download.path();
    expect(readFileSync(path!, 'utf8').split('\n')[0]).toMatch(/^pipeline,kind,source,line/);
    await shot('6-run');
  });
});
