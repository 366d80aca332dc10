/**
 * The UI in Debian's Chromium (playwright-core) against `sluice serve`'s built renderer: the
 * example project on the real data, importing the real Customers.csv, adding and reordering a
 * rule with its preview, running the project and watching the graph, the run's log and rejects.
 * Screenshots of each screen go to test-output/screenshots (not committed).
 */
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { rememberProject } from '../../src-main/service/recent';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import { SHARED, tempDir } from '../helpers/tmp';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const KEY = 'e2e-key';

let browser: Browser;
let page: Page;
let server: RunningServer;
let service: SluiceService;
let dir: string;
/** Uncaught errors in the page: a component that throws blanks the window. */
const pageErrors: string[] = [];

const shot = (name: string): Promise<Buffer> =>
  page.screenshot({ path: join(SHOTS, `${name}.png`) });

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    throw new Error('the UI is not built: run npm run build first (npm test does)');
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
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
  // Recent projects are kept in Sluice's own folder: a throwaway one here, as `serve` would fill it.
  process.env.SLUICE_HOME = tempDir();
  rememberProject(dir);
  // As `sluice serve --allow-path`: the window may start a project in a folder under tmp.
  service = await SluiceService.open(dir, { storePath: join(dir, 'store.db'), allow: [tmpdir()] });
  server = await serve(service, { port: 0, apiKey: KEY, staticDir: join(ROOT, 'out', 'renderer') });
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/#key=${KEY}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await server?.close();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

describe('the UI in Chromium', () => {
  it('opens the project with the key from the address, then takes the key out of it', async () => {
    await expect
      .poll(() => page.textContent('[data-testid=project-name]'))
      .toBe('global-electronics');
    expect(page.url()).not.toContain('key=');
    // The built renderer carries package.json's version (inlined by Vite).
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(await page.getAttribute('h1', 'title')).toBe(`Sluice ${version}`);
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
    // The grid's code arrives when it is first shown: its rows come after the counts.
    const grid = card.locator('[data-testid=import-grid]');
    await expect.poll(() => grid.textContent()).toContain('Lilly Harding');
    expect(await grid.textContent()).not.toContain('\uFFFD');
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
      .poll(() => page.textContent('[data-testid=count-cells_changed]'), { timeout: 30_000 })
      .toMatch(/[1-9]/);
    // Rows arrive a block at a time as the grid shows them; the changed cells are marked on both
    // sides: the new value after, the old one before.
    await expect
      .poll(() => page.locator('[data-testid=grid-after] .cell-changed').count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=grid-after] .cell-changed')).toBe('AUSTRALIA');
    await expect
      .poll(() => page.locator('[data-testid=grid-before] .cell-changed').count())
      .toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=grid-before] .cell-changed')).toBe('Australia');
    expect(await page.inputValue('textarea[aria-label="recipe yaml"]')).toMatch(
      /- step: case\n\s+columns:\s*\n?\s*- Country\n\s+to: upper/,
    );
    await shot('3-editor-preview');
    // The step's whole after side exports as CSV.
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export after as CSV' }).click(),
    ]);
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv.suggestedFilename()).toBe('stores-step-6-after.csv');
    expect(lines[0]).toMatch(/^line,StoreKey,Country,/);
    expect(lines).toHaveLength(68);
    expect(lines[1]).toMatch(/^2,1,AUSTRALIA,/);

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

  // Room for a busy machine: the whole project runs, on two cores shared with other work.
  it('runs the project and the graph turns green; the run shows its log and exports rejects', async () => {
    // A pipeline that rejects rows: zip codes that are not whole numbers (UK, Canada, ...).
    writeFileSync(
      join(dir, 'pipelines', 'zip_codes.yaml'),
      'name: zip_codes\nsource: {path: Customers.csv, encoding: windows-1252}\nsteps:\n' +
        '  - step: cast\n    columns: {Zip Code: int}\n    on_error: reject\n' +
        'outputs:\n  - {kind: csv, path: out/zip_codes.csv}\n' +
        // A quarter of the customers live where zip codes have letters: more than the 1% the
        // project allows by default.
        'max_reject_rate: 0.5\n',
    );
    await page.reload();
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.waitForSelector('[data-testid=node-zip_codes]');
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
    await expect
      .poll(async () =>
        Number((await page.textContent('[data-testid=rejects-total]'))?.replace(/\D/g, '')),
      )
      .toBeGreaterThan(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const rejected = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(rejected[0]).toMatch(/^pipeline,kind,source,line/);
    expect(rejected.length).toBeGreaterThan(1);
    // Rejected rows are only zip_codes' (the rest are rows a limit step removed, with why).
    const kinds = rejected.slice(1).map((l) => l.split(',').slice(0, 2).join(','));
    expect(
      kinds.filter((k) => k.endsWith(',rejected')).every((k) => k === 'zip_codes,rejected'),
    ).toBe(true);
    expect(kinds.filter((k) => k === 'zip_codes,rejected').length).toBeGreaterThan(0);
    await shot('6-run');
  }, 300_000);

  it('scrolls the preview of a 1,000,000-row file to its middle and shows those rows', async () => {
    const rows = 1_000_000;
    const countries = ['Australia', 'Canada', 'Germany', 'France', 'Italy'];
    const out = createWriteStream(join(dir, 'data', 'million.csv'));
    out.write('id,name,country,amount\n');
    for (let start = 0; start < rows; start += 10_000) {
      let text = '';
      for (let i = start; i < start + 10_000; i++)
        text += `${i},Customer ${i},${countries[i % 5]},${(i % 997) / 4}\n`;
      if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    writeFileSync(
      join(dir, 'pipelines', 'million.yaml'),
      'name: million\nsource: {path: million.csv}\nsteps:\n  - step: case\n    columns: [country]\n    to: upper\noutputs:\n  - {kind: csv, path: out/million.csv}\n',
    );
    await page.reload();
    await page.click('[data-testid=pipeline-million]');
    await page.waitForSelector('[data-testid=step-1]');
    await page.click('[data-testid=step-1] .label');
    // A million rows take seconds: the window says how far the engine has read.
    await expect
      .poll(() => page.textContent('[data-testid=preview-progress]'), {
        timeout: 60_000,
        interval: 50,
      })
      .toMatch(/computing over all rows… [\d,]+ read/);
    await expect
      .poll(() => page.textContent('[data-testid=grid-after]'), { timeout: 120_000 })
      .toContain('AUSTRALIA');
    expect(await page.textContent('[data-testid=preview]')).toContain('after 1,000,000 rows');
    expect(await page.textContent('[data-testid=count-rows_in]')).toContain('1,000,000');

    // Drag the after grid's scrollbar to the middle: the rows there are fetched and shown.
    const started = Date.now();
    const scrolled = await page.locator('[data-testid=grid-after]').evaluate((grid) => {
      // The grid's vertical scroller: the element with the most to scroll.
      const [v] = [...grid.querySelectorAll('*')]
        .filter((e) => e.scrollHeight > e.clientHeight + 50)
        .sort((a, b) => b.scrollHeight - a.scrollHeight);
      v.scrollTop = v.scrollHeight / 2;
      v.dispatchEvent(new Event('scroll'));
      return v.className;
    });
    expect(scrolled).toMatch(/ag-/);
    const lines = (): Promise<number[]> =>
      page
        .locator('[data-testid=grid-after] .ag-cell[col-id=__line]')
        .evaluateAll((els) => els.map((e) => Number(e.textContent)).filter((n) => n > 0));
    await expect
      .poll(async () => (await lines()).filter((n) => n > 400_000 && n < 600_000).length, {
        timeout: 30_000,
        interval: 100,
      })
      .toBeGreaterThan(5);
    const shownAfter = Date.now() - started;
    // Each row's values are those of its source line, its changed cell marked.
    const first = Math.min(...(await lines()));
    const row = page.locator(`[data-testid=grid-after] .ag-row[row-index="${first - 2}"]`);
    expect((await row.allTextContents()).join(' ')).toContain(`Customer ${first - 2}`);
    expect(await row.locator('.cell-changed').textContent()).toBe(
      countries[(first - 2) % 5].toUpperCase(),
    );
    console.log(`middle rows of the 1,000,000-row preview shown ${shownAfter} ms after the scroll`);
    await shot('3b-preview-million-rows');
  }, 300_000);

  it('starts a new project in an empty folder, then goes back to a recent one; lists its shortcuts', async () => {
    const fresh = join(tempDir(), 'Market Data');
    mkdirSync(fresh);
    await page.getByRole('button', { name: /global-electronics/ }).click();
    await expect
      .poll(() => page.textContent('[data-testid=recent-projects]'))
      .toContain('global-electronics');
    await page.fill('input[aria-label="project folder"]', fresh);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect
      .poll(() => page.textContent('[data-testid=project-error]'))
      .toContain('is not a Sluice project');
    await shot('7-open-project');
    await page.getByRole('button', { name: /Start a new project in/ }).click();
    await expect.poll(() => page.textContent('[data-testid=project-name]')).toBe('Market_Data');
    expect(existsSync(join(fresh, 'sluice.yaml'))).toBe(true);
    await expect.poll(() => page.textContent('main')).toMatch(/drop CSV files/i);
    await shot('8-new-project');

    // Back to the example project from the recent list, with the keyboard.
    await page.keyboard.press('Control+Shift+O');
    await page
      .locator('[data-testid=recent-projects] button', { hasText: 'global-electronics' })
      .click();
    await expect
      .poll(() => page.textContent('[data-testid=project-name]'))
      .toBe('global-electronics');
    await expect
      .poll(() => page.locator('[data-testid=pipelines-table] tbody tr').count())
      .toBe(19);

    await page.keyboard.press('?');
    await expect.poll(() => page.textContent('[data-testid=shortcuts]')).toContain('Ctrl+Enter');
    await shot('9-shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=shortcuts]').count()).toBe(0);
  });
});
