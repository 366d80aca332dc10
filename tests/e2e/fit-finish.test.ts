/**
 * Fit and finish of the window, in Chromium on the example project over the real retail data:
 * resizable and collapsible panes that are remembered; every view at 1024×700 with nothing off
 * screen, light and dark; the graph readable and its controls dark in dark mode; waiting
 * pipelines queued; a double-click opening a node's last run; the timeline's durations,
 * tooltips and step counts; a cancel keeping the last results; a failure showing 0 rows; the
 * import card (formats, empty shares, the key, the steps, the name, a file-name clash, Open in
 * editor); the drop hint; an output's grid sized to its rows, its columns to their content.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exampleProject, openWindow, type Window } from '../helpers/e2e';
import { SHARED } from '../helpers/tmp';

const VIEWS = ['Pipelines', 'Editor', 'Graph', 'Runs', 'Outputs'] as const;
const LONG = { timeout: 180_000, interval: 250 };

/**
 * Nothing is wider than the window, and the top bar's controls are all on screen and whole: no
 * label cut off or ellipsed (but the project's folder, in its tooltip too), a select as wide as
 * its chosen option needs (the run target's "Load as the recipes say" was once cut at 1024 px).
 */
async function fitsWidth(page: Page): Promise<void> {
  // Run in the page (the tests' TypeScript has no DOM types).
  const { scroll, inner, outside, clipped } = (await page.evaluate(`(() => {
    const inner = window.innerWidth;
    const controls = [...document.querySelectorAll('.topbar button, .topbar select')];
    const name = (e) => e.getAttribute('aria-label') ?? e.textContent;
    const outside = controls
      .map((e) => [name(e), e.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && (r.right > inner + 0.5 || r.left < 0))
      .map(([n]) => n);
    // How wide a select must be for its chosen option: a copy holding that option alone, unbound.
    const needs = (s) => {
      const copy = s.cloneNode(false);
      copy.append(new Option(s.options[s.selectedIndex]?.text ?? ''));
      copy.style.cssText = 'position:absolute;visibility:hidden;width:auto;max-width:none;min-width:0';
      s.parentElement.append(copy);
      const w = copy.getBoundingClientRect().width;
      copy.remove();
      return w;
    };
    // The project button's folder may be ellipsed (its tooltip has it), never the name.
    const nameCut = (b) => {
      const r = b.getBoundingClientRect();
      const pad = parseFloat(getComputedStyle(b).paddingRight);
      return b.querySelector('[data-testid=project-name]').getBoundingClientRect().right > r.right - pad + 0.5;
    };
    const clipped = controls
      .filter((e) => e.getBoundingClientRect().width > 0)
      .filter((e) =>
        e.tagName === 'SELECT'
          ? needs(e) > e.getBoundingClientRect().width + 0.5
          : e.classList.contains('project-button')
            ? nameCut(e)
            : e.scrollWidth > e.clientWidth + 0.5,
      )
      .map((e) => (e.tagName === 'SELECT' ? e.options[e.selectedIndex]?.text : name(e)));
    return { scroll: document.scrollingElement.scrollWidth, inner, outside, clipped };
  })()`)) as { scroll: number; inner: number; outside: string[]; clipped: string[] };
  expect(outside).toEqual([]);
  expect(clipped).toEqual([]);
  expect(scroll).toBeLessThanOrEqual(inner);
}

/**
 * Holds the page's requests to `url` until `release()`: what the window shows while it waits
 * can be seen however fast the answer would have come.
 */
async function holdRequests(page: Page, url: string): Promise<{ release(): Promise<void> }> {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const held: Promise<void>[] = [];
  await page.route(url, (r) => {
    const sent = gate.then(() => r.continue());
    held.push(sent);
    return sent;
  });
  return {
    async release() {
      open();
      // Unrouted only once each held request has gone on: it is not handled twice.
      for (let i = 0; i < held.length; i++) await held[i];
      await page.unroute(url);
    },
  };
}

const nodeStatus = (page: Page, name: string): Promise<string | null> =>
  page.getByTestId(`node-${name}`).getAttribute('data-status');

describe('every view fits, light and dark, at 1024×700 and 1440×900', () => {
  for (const [width, height, scheme] of [
    [1024, 700, 'light'],
    [1024, 700, 'dark'],
    [1440, 900, 'dark'],
  ] as const)
    it(`${width}×${height} ${scheme}`, async () => {
      const win = await openWindow({ width, height, colorScheme: scheme });
      try {
        const { page } = win;
        for (const view of VIEWS) {
          await page.getByRole('tab', { name: view }).click();
          if (view === 'Editor') {
            await page.getByTestId('pipeline-sales').click();
            await page.getByTestId('editor-left').waitFor();
          }
          if (view === 'Graph') await page.getByTestId('node-sales').waitFor();
          await fitsWidth(page);
          await win.shot(`fit-${view.toLowerCase()}-${width}-${scheme}`);
        }
        if (scheme === 'dark') {
          // The graph's own controls follow the window's dark mode.
          await page.getByRole('tab', { name: 'Graph' }).click();
          const bg = await page
            .locator('.react-flow__controls-button')
            .first()
            .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).backgroundColor);
          const [r, g, b] = bg.match(/\d+/g)!.map(Number);
          expect(r + g + b).toBeLessThan(3 * 90);
          await expect.poll(() => page.locator('.react-flow__minimap').count()).toBe(1);
        }
        expect(win.problems).toEqual([]);
      } finally {
        await win.close();
      }
    }, 240_000);
});

describe('the window on the example project (1440×900, light)', () => {
  let win: Window;
  let page: Page;

  beforeAll(async () => {
    const dir = exampleProject();
    // A pipeline whose every row breaks a rule: it reads 67 rows and must show 0 written.
    writeFileSync(
      join(dir, 'pipelines', 'picky.yaml'),
      'name: picky\nsource: {path: Stores.csv}\nmax_reject_rate: 0.5\nsteps:\n' +
        '  - step: validate\n    rules:\n      - {column: Country, allowed: [Atlantis]}\n' +
        'outputs:\n  - {kind: csv, path: out/picky.csv}\n',
    );
    win = await openWindow({ dir, width: 1440, height: 900 });
    page = win.page;
  }, 120_000);

  afterAll(() => win?.close());
  afterEach(() => {
    expect(win.problems).toEqual([]);
  }, 240_000);

  it('panes resize by keyboard and drag, reset on double-click, collapse, and are remembered', async () => {
    const splitter = page.getByTestId('sidebar-splitter');
    const now = async (): Promise<number> => Number(await splitter.getAttribute('aria-valuenow'));
    const first = await now();
    await splitter.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await now()).toBe(first + 32);
    const box = (await splitter.boundingBox())!;
    await page.mouse.move(box.x + 3, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + 63, box.y + 200, { steps: 4 });
    await page.mouse.up();
    await expect.poll(now).toBe(first + 92);
    expect(Math.round((await page.getByTestId('sidebar').boundingBox())!.width)).toBe(first + 92);
    await splitter.dblclick();
    await expect.poll(now).toBe(first);

    await page.getByTestId('pipeline-sales').click();
    await page.getByTestId('editor-left').waitFor();
    const editor = page.getByTestId('editor-splitter');
    await editor.focus();
    await page.keyboard.press('Shift+ArrowRight');
    const left = Number(await editor.getAttribute('aria-valuenow'));
    await page.getByTestId('hide-sidebar').click();
    await page.getByTestId('hide-editor-right').click();
    await expect.poll(() => page.getByTestId('editor-right').count()).toBe(0);
    await win.shot('fit-panes-collapsed');

    // Reloaded, the window is as it was left.
    await page.reload();
    await page.getByTestId('show-sidebar').waitFor();
    await page.getByTestId('show-sidebar').click();
    await page.getByTestId('pipeline-sales').click();
    await page.getByTestId('show-editor-right').click();
    await page.getByTestId('editor-right').waitFor();
    expect(Number(await page.getByTestId('editor-splitter').getAttribute('aria-valuenow'))).toBe(
      left,
    );
    await win.shot('fit-panes-editor');
  }, 240_000);

  it('the pipelines list says files can be dropped anywhere, in a quiet hint', async () => {
    await page.getByRole('tab', { name: 'Pipelines' }).click();
    await expect
      .poll(() => page.getByTestId('drop-hint').textContent())
      .toContain('Drop CSV files anywhere');
  }, 240_000);

  it('import: formats, empty shares, the key over all rows, the steps, the name, a clash, Open in editor', async () => {
    await page.getByTestId('file-picker').setInputFiles(join(SHARED, 'Stores.csv'));
    const card = page.getByTestId('import-Stores.csv');
    await expect
      .poll(() => card.getByTestId('import-conflict').textContent())
      .toMatch(
        /A file named Stores\.csv is already in the data folder \(data\/\): replace it with this one, or keep both, this one as Stores-2\.csv/,
      );
    await win.shot('fit-import-clash');
    await card.getByRole('button', { name: /Keep both/ }).click();
    const kept = page.getByTestId('import-Stores-2.csv');
    await expect.poll(() => kept.textContent(), LONG).toContain('67 rows');
    const columns = kept.getByTestId('import-columns');
    const row = (name: string) => columns.locator('tr', { hasText: name });
    expect(await row('Open Date').textContent()).toMatch(/date.*MM-dd-yyyy/);
    // One store of 67 has no size: its empty share is shown.
    expect(await row('Square Meters').textContent()).toContain('1.5%');
    await expect
      .poll(() => kept.getByTestId('key-check').textContent())
      .toContain('StoreKey: unique over all 67 rows');
    expect(await kept.getByTestId('planned-steps').textContent()).toContain(
      'de-duplicate on StoreKey',
    );
    // Another key: counted over every row again, "checking…" until the answer comes.
    const answer = await holdRequests(page, '**/api/imports/inspect');
    await kept.getByLabel('key column StoreKey').uncheck();
    await kept.getByLabel('key column Country').check();
    await expect
      .poll(() => kept.getByTestId('key-check').textContent())
      .toBe('Key Country: checking…');
    await answer.release();
    // Counted here from the file's text: the stores that share a country with an earlier one.
    const countries = readFileSync(join(SHARED, 'Stores.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[1]);
    const repeats = countries.length - new Set(countries).size;
    const first = countries.find((c, i) => countries.indexOf(c) < i)!;
    const firstRows = countries.filter((c) => c === first).length;
    await expect
      .poll(() => kept.getByTestId('key-check').textContent(), LONG)
      .toContain(`Country: ${repeats} rows repeat a key (e.g. ${first} on ${firstRows} rows)`);

    const name = kept.getByLabel('pipeline name');
    const create = kept.getByRole('button', { name: /Create pipeline/ });
    await name.fill('my stores');
    await expect.poll(() => kept.textContent()).toContain('no spaces');
    expect(await create.isDisabled()).toBe(true);
    await name.fill('stores');
    await expect.poll(() => kept.textContent()).toContain('a pipeline stores exists already');
    await name.fill('stores_copy');
    await expect.poll(() => create.isDisabled()).toBe(false);
    await win.shot('fit-import-card');
    await create.click();
    await kept.getByRole('button', { name: 'Open in editor' }).click();
    await expect
      .poll(() => page.locator('.editor-left b').first().textContent())
      .toBe('stores_copy');
    await expect.poll(() => page.getByTestId('import-Stores-2.csv').count()).toBe(0);
  }, 240_000);

  it('import: any key is checked over every row of the real sales, the last question answered', async () => {
    await page.getByTestId('file-picker').setInputFiles(join(SHARED, 'Sales.csv'));
    const card = page.getByTestId('import-Sales.csv');
    await card.getByRole('button', { name: 'Use the file already there' }).click();
    const check = card.getByTestId('key-check');
    await expect
      .poll(() => check.textContent(), LONG)
      .toBe('Key Order Number + Line Item: unique over all 62,884 rows');
    // The order number alone: every line item after an order's first repeats it.
    const answer = await holdRequests(page, '**/api/imports/inspect');
    await card.getByLabel('key column Line Item').uncheck();
    await expect.poll(() => check.textContent()).toBe('Key Order Number: checking…');
    // Clicked again before the answer: the newer question replaces the older one.
    await card.getByLabel('key column Quantity').check();
    await expect.poll(() => check.textContent()).toBe('Key Order Number + Quantity: checking…');
    await card.getByLabel('key column Quantity').uncheck();
    await answer.release();
    await expect
      .poll(() => check.textContent(), LONG)
      .toBe(
        'Key Order Number: 36,558 rows repeat a key (e.g. 366001 on 2 rows): de-duplication keeps the first of each',
      );
    expect(await card.getByTestId('planned-steps').textContent()).toContain(
      'de-duplicate on Order Number',
    );
    await win.shot('fit-import-key-check');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByTestId('import-Sales.csv').count()).toBe(0);
  }, 240_000);

  it('Run all: waiting pipelines are queued in the graph and the run; a failure wrote 0 rows', async () => {
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByTestId('node-sales').waitFor();
    // The graph's own Run all: the top bar's opens the Runs view.
    await page.locator('.graph-view').getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => nodeStatus(page, 'report_top_products'), LONG).toBe('queued');
    await win.shot('fit-graph-queued');
    // It waits for sales (seconds on this data): the run's timeline lists it as queued too.
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect
      .poll(() => page.getByTestId('task-report_top_products').textContent())
      .toContain('queued');
    await win.shot('fit-run-queued');
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect.poll(() => nodeStatus(page, 'customer_features'), LONG).toBe('succeeded');
    await expect.poll(() => nodeStatus(page, 'picky'), LONG).toBe('failed');
    expect(await page.getByTestId('node-picky').textContent()).toContain('0 rows');
    await expect.poll(() => page.getByTestId('rows-picky').textContent()).toBe('0');
    // Graph text at the zoom it opens with is readable.
    const px = await page
      .getByTestId('node-sales')
      .locator('b')
      .evaluate((e) => e.getBoundingClientRect().height);
    // 14 px type at the least zoom fitView may pick (0.8): a line of at least 12 px on screen.
    expect(px).toBeGreaterThanOrEqual(12);
    await win.shot('fit-graph-after-run');
  }, 240_000);

  it('a double-click on a graph node opens its last run; its timeline has durations and step counts', async () => {
    // The run over and the project reloaded, each node has its last run (and its rows).
    await expect.poll(() => page.getByTestId('active-run').count(), LONG).toBe(0);
    await expect.poll(() => page.getByTestId('node-sales').textContent(), LONG).toMatch(/rows/);
    await page.getByTestId('node-sales').dblclick();
    await page.getByTestId('run-detail').waitFor();
    const task = page.getByTestId('task-sales');
    await expect.poll(() => task.textContent()).toMatch(/\d+(\.\d)? (ms|s)/);
    expect(await task.getAttribute('title')).toMatch(
      /sales: succeeded in .*\n.*rows in, .*written/,
    );
    await task.click();
    const steps = page.getByTestId('step-counts');
    await expect.poll(() => steps.textContent()).toContain('parse_dates');
    expect(await steps.textContent()).toContain('62,884');
    await win.shot('fit-run-timeline');
  }, 240_000);

  it('a cancelled run keeps the last finished statuses and rows, and its cancel is info', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'Run all' }).first().click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), LONG).toBe('running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), LONG).toBe('cancelled');
    await expect.poll(() => page.getByTestId('log').textContent()).toContain('INFO  run cancelled');
    expect(await page.locator('[data-testid=log] .error').count()).toBe(0);
    await win.shot('fit-run-cancelled');
    // The pipelines the cancel stopped before they began still show the last run's results.
    await page.getByRole('tab', { name: 'Pipelines' }).click();
    await expect
      .poll(() =>
        page.locator('[data-testid=pipeline-customer_features] .dot').getAttribute('class'),
      )
      .toContain('succeeded');
    const rows = await page.getByTestId('rows-customer_features').textContent();
    expect(rows).toMatch(/^\d[\d,]*$/);
    expect(rows).not.toBe('0');
  }, 240_000);

  it('an output small enough gets a box its size, and columns as wide as their content', async () => {
    await page.getByRole('tab', { name: 'Outputs' }).click();
    await page.getByTestId('outputs-table').waitFor();
    await page
      .getByTestId('outputs-table')
      .locator('tr', { hasText: 'report_exchange_rates' })
      .getByRole('button', { name: 'Open' })
      .first()
      .click();
    // Five currencies: a box for five rows, every row shown, not a 420 px box.
    await expect.poll(() => page.getByTestId('output-count').textContent()).toMatch(/^5 rows/);
    const box = (await page.getByTestId('output-grid-box').boundingBox())!;
    expect(box.height).toBeLessThan(260);
    await expect
      .poll(async () => {
        const rows = await page
          .locator('[data-testid=output-grid] .ag-row[row-index]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('row-index')));
        return new Set(rows).size;
      })
      .toBe(5);
    await expect
      .poll(async () => {
        const widths = await page
          .locator('[data-testid=output-grid] .ag-header-cell')
          .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width)));
        return new Set(widths).size > 1;
      })
      .toBe(true);
    await win.shot('fit-outputs-grid');
  }, 240_000);
});
