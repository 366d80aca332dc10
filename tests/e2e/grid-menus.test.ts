/**
 * Column-header menus and readable previews, in Chromium on the example project over the real
 * retail data (Sales: 62,884 rows): a header menu opened by its ▾, a right-click and the
 * keyboard; a step added for a column lands after the selected one with the column filled in and
 * the preview follows; parse dates carries the formats inference found; changed columns are
 * marked; "next changed / rejected row" move both grids; the before side tints dropped rows;
 * the two grids scroll as one; sorting from the menu where the grid can sort (Outputs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openWindow, type Window } from '../helpers/e2e';

let w: Window;
let page: Page;

beforeAll(async () => {
  w = await openWindow({ width: 1440, height: 900 });
  page = w.page;
}, 120_000);
afterAll(() => w?.close());
afterEach(() => {
  expect(w.problems).toEqual([]);
});

const header = (side: string, column: string): Locator =>
  page.locator(`[data-testid=grid-${side}] .col-head[data-col="${column}"]`);
const menu = (): Locator => page.getByRole('menu');

/**
 * Opens the menu of `column` from the keyboard (focus its header cell, Alt+↓): a column the
 * grid has scrolled under its pinned line column cannot take a pointer's click there.
 */
async function openMenu(side: string, column: string, pg: Page = page): Promise<void> {
  const cell = pg.locator(`[data-testid=grid-${side}] .ag-header-cell`, {
    has: pg.locator(`.col-head[data-col="${column}"]`),
  });
  await cell.focus();
  await pg.keyboard.press('Alt+ArrowDown');
  await pg.getByRole('menu').waitFor();
}
const previewTitle = () => page.textContent('[data-testid=preview] h3');

/** The few DOM members the page-side functions below use (the tests have no DOM types). */
interface El {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(sel: string): El | null;
  querySelectorAll(sel: string): Iterable<El>;
  getBoundingClientRect(): { top: number; bottom: number };
}
interface Doc {
  activeElement: El | null;
  querySelector(sel: string): El | null;
}

/** The source line of the top row on screen of a side's grid. */
async function topLine(side: string): Promise<number | null> {
  return page.evaluate((s) => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    const grid = doc.querySelector(`[data-testid=grid-${s}]`);
    const header = grid?.querySelector('.ag-header');
    if (!grid || !header) return null;
    const top = header.getBoundingClientRect().bottom;
    const rows = [...grid.querySelectorAll('.ag-row[row-index]')]
      .filter((r) => r.getBoundingClientRect().top >= top - 2)
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    const text = rows[0]?.querySelector('[col-id=__line]')?.textContent;
    return text ? Number(text) : null;
  }, side);
}

/** The focused row's index in a side's grid, or null. */
const focusedRow = (side: string): Promise<number | null> =>
  page.evaluate((s) => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    const r = doc.querySelector(`[data-testid=grid-${s}] .ag-row-focus`);
    return r ? Number(r.getAttribute('row-index')) : null;
  }, side);

const scrollTo = (side: string, top: number): Promise<void> =>
  page
    .locator(`[data-testid=grid-${side}] .ag-grid-viewport`)
    .evaluate((el, t) => void ((el as unknown as { scrollTop: number }).scrollTop = t), top);

async function selectStep(n: number, kind: string): Promise<void> {
  await page.click(`[data-testid=step-${n}] .label`);
  await expect.poll(previewTitle, { timeout: 60_000 }).toContain(`step ${n}: ${kind}`);
}

describe('column menus and previews on the real sales data', () => {
  it('opens a header menu by its ▾, by right-click and by the keyboard', async () => {
    await page.click('[data-testid=pipeline-sales]');
    // Opening shows step 1; another step asked for while it computes would cancel it (a 409).
    await expect.poll(previewTitle, { timeout: 60_000 }).toContain('step 1: trim');
    await selectStep(2, 'nullify');
    const currency = header('after', 'Line Item');
    await currency.waitFor({ timeout: 30_000 });
    // The type icon says what the column holds at this point.
    expect(await currency.locator('.type-icon').getAttribute('title')).toBe('text');

    await currency.hover();
    await currency.locator('.col-menu-btn').click();
    await menu().waitFor();
    const items = menu().getByRole('menuitem');
    expect(await items.count()).toBeGreaterThan(12);
    // The preview's rows come in the step's order: sorting is there, disabled, saying why.
    const asc = menu().getByTestId('menu-sort-asc');
    expect(await asc.getAttribute('aria-disabled')).toBe('true');
    expect(await asc.getAttribute('title')).toContain('cannot be sorted');
    await w.shot('grid-menus-menu-open');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu().count()).toBe(0);

    await header('before', 'Order Date').click({ button: 'right' });
    await menu().waitFor();
    expect(await menu().getAttribute('aria-label')).toBe('Column Order Date');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu().count()).toBe(0);

    // Keyboard: Alt+↓ on a focused header opens it, arrows move, Esc gives focus back.
    const cell = page.locator('[data-testid=grid-after] .ag-header-cell', {
      has: page.locator('.col-head[data-col="Line Item"]'),
    });
    await cell.focus();
    await page.keyboard.press('Alt+ArrowDown');
    await menu().waitFor();
    await expect
      .poll(() =>
        page.evaluate(() =>
          (globalThis as unknown as { document: Doc }).document.activeElement?.getAttribute('role'),
        ),
      )
      .toBe('menuitem');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() =>
        page.evaluate(
          () => (globalThis as unknown as { document: Doc }).document.activeElement?.textContent,
        ),
      )
      .toMatch(/^Filter/);
    await page.keyboard.press('Escape');
    await expect.poll(() => menu().count()).toBe(0);
    await expect
      .poll(() =>
        page.evaluate(() =>
          (globalThis as unknown as { document: Doc }).document.activeElement
            ?.querySelector('.col-head')
            ?.getAttribute('data-col'),
        ),
      )
      .toBe('Line Item');
  });

  it('adds trim for a column after the selected step; the preview follows', async () => {
    await openMenu('after', 'Line Item');
    await menu().getByTestId('menu-step-trim').click();
    await expect.poll(previewTitle, { timeout: 60_000 }).toContain('step 3: trim');
    expect(await page.textContent('[data-testid=step-3] .label')).toContain('Line Item');
    expect(await page.textContent('[data-testid=step-4] .label')).toContain('parse_dates');
    await expect.poll(() => page.textContent('[data-testid=count-rows_in]')).toContain('62,884');
  });

  it('parse dates from the menu carries the formats inference found; changed columns marked', async () => {
    // The recipe's own parse_dates (now step 4) would parse the dates a second time, which the
    // editor's check rightly calls a problem (and a recipe with problems is not previewed).
    await page.getByRole('button', { name: 'disable step 4' }).click();
    await selectStep(3, 'trim');
    await openMenu('after', 'Order Date');
    await menu().getByTestId('menu-step-parse_dates').click();
    await expect.poll(previewTitle, { timeout: 60_000 }).toContain('step 4: parse_dates');
    await expect
      .poll(() => header('after', 'Order Date').getAttribute('class'), { timeout: 30_000 })
      .toContain('col-changed');
    expect(await header('after', 'Order Date').locator('.type-icon').getAttribute('title')).toBe(
      'date',
    );
    expect(await header('after', 'Line Item').getAttribute('class')).not.toContain('col-changed');
    await w.shot('grid-menus-preview-markers');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => parse(readFileSync(join(w.dir, 'pipelines', 'sales.yaml'), 'utf8')).steps[3])
      .toEqual({
        step: 'parse_dates',
        columns: ['Order Date'],
        formats: ['M/d/yyyy', 'MM-dd-yyyy'],
      });
    const steps = parse(readFileSync(join(w.dir, 'pipelines', 'sales.yaml'), 'utf8')).steps;
    expect(steps[2]).toEqual({ step: 'trim', columns: ['Line Item'] });
  });

  it('next changed row and next rejected row move both grids; dropped rows are tinted', async () => {
    // Delivery Date is blank in most rows (null after nullify): a not-empty rule rejects them.
    await selectStep(2, 'nullify');
    await openMenu('after', 'Delivery Date');
    await menu().getByTestId('menu-step-validate').click();
    await expect.poll(previewTitle, { timeout: 60_000 }).toContain('step 3: validate');
    await expect
      .poll(() => page.textContent('[data-testid=count-rows_rejected]'), { timeout: 30_000 })
      .toContain('49,719');
    await expect
      .poll(() => page.locator('[data-testid=grid-before] .row-dropped').count(), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const tip = await page
      .locator('[data-testid=grid-before] .row-dropped [col-id=__line]')
      .first()
      .textContent();
    expect(Number(tip)).toBeGreaterThan(1);
    // Why, in the tooltip of its line.
    await page.locator('[data-testid=grid-before] .row-dropped [col-id=__line]').first().hover();
    await expect
      .poll(() => page.locator('.ag-tooltip').textContent(), { timeout: 15_000 })
      .toContain('rejected by this step: ');

    // Far down the before side, the next rejected row: the before grid goes to it, tinted, and
    // the after grid to the next row kept.
    await expect.poll(() => topLine('before'), { timeout: 20_000 }).toBe(2);
    await scrollTo('before', 300_000);
    await expect.poll(() => topLine('before'), { timeout: 20_000 }).toBeGreaterThan(9000);
    const from = (await topLine('before'))!;
    await page.getByTestId('next-dropped').click();
    await expect.poll(() => focusedRow('before'), { timeout: 20_000 }).not.toBeNull();
    const focused = page.locator('[data-testid=grid-before] .ag-row-focus');
    expect(await focused.getAttribute('class')).toContain('row-dropped');
    const line = Number(await focused.locator('[col-id=__line]').textContent());
    expect(line).toBeGreaterThanOrEqual(from);
    expect(await topLine('before')).toBe(line);
    await expect.poll(() => topLine('after'), { timeout: 20_000 }).toBeGreaterThan(line);
    await w.shot('grid-menus-next-rejected');

    // Next changed row at the nullify step: rows whose blank Delivery Date became null.
    await selectStep(2, 'nullify');
    await page.getByTestId('next-changed').click();
    await expect.poll(() => focusedRow('after'), { timeout: 20_000 }).not.toBeNull();
    const first = (await focusedRow('after'))!;
    await page.getByTestId('next-changed').click();
    await expect.poll(() => focusedRow('after'), { timeout: 20_000 }).toBeGreaterThan(first);
    const row = page.locator('[data-testid=grid-after] .ag-row-focus');
    expect(await row.locator('.cell-changed').count()).toBeGreaterThan(0);
    await expect.poll(() => topLine('before'), { timeout: 20_000 }).toBe(await topLine('after'));
  });

  it('scrolling one grid scrolls the other, to the same source rows', async () => {
    // The validate step: the before side has the rejected rows, the after side does not.
    await selectStep(3, 'validate');
    // A new preview starts its grids from the top: scroll once its rows are there.
    await expect.poll(() => topLine('before'), { timeout: 20_000 }).toBe(2);
    await scrollTo('before', 40_000);
    await expect.poll(() => topLine('before'), { timeout: 20_000 }).toBeGreaterThan(900);
    // The after side's top row is the first kept row at or past the before side's top.
    await expect
      .poll(async () => (await topLine('after'))! >= (await topLine('before'))!, {
        timeout: 20_000,
      })
      .toBe(true);
    await scrollTo('after', 200_000);
    await expect.poll(() => topLine('after'), { timeout: 20_000 }).toBeGreaterThan(9000);
    await expect.poll(() => topLine('before'), { timeout: 20_000 }).toBe(await topLine('after'));
    await w.shot('grid-menus-scrolled');
  });

  it('the rejected-rows grid keeps its height with the profile open', async () => {
    await selectStep(3, 'validate');
    const dropped = page.getByTestId('dropped');
    await dropped.waitFor({ timeout: 30_000 });
    const h = (await dropped.boundingBox())!.height;
    // The step's profile below the preview, opened if it is folded.
    const show = page.getByRole('button', { name: 'Show the profile' });
    if (await show.count()) await show.click();
    await page.getByTestId('step-profile').locator('[data-testid^=profile-col-]').first().waitFor({
      timeout: 60_000,
    });
    expect((await dropped.boundingBox())!.height).toBeGreaterThanOrEqual(Math.min(h, 200) - 1);
    expect((await page.getByTestId('grid-before').boundingBox())!.height).toBeGreaterThan(380);
  });

  it('filters and facets from the menu into the store', async () => {
    await openMenu('after', 'Line Item');
    await menu().getByTestId('menu-filter').click();
    const form = page.getByRole('form', { name: 'Filter Line Item' });
    await form.getByLabel('condition').selectOption('equals');
    await form.getByLabel('value').fill('1');
    await w.shot('grid-menus-filter');
    await form.getByTestId('filter-apply').click();
    await expect.poll(() => menu().count()).toBe(0);
    await openMenu('after', 'Line Item');
    await menu().getByTestId('menu-facet').click();
    await expect.poll(() => menu().count()).toBe(0);
  });

  it('sorts from the menu where the grid can sort (an output)', { timeout: 180_000 }, async () => {
    const { run_id } = await w.service.startRun({ pipelines: ['stores'] });
    await w.service.idle();
    expect(run_id).toBeTruthy();
    await page.getByRole('tab', { name: 'Outputs' }).click();
    const row = page.getByTestId('outputs-table').locator('tbody tr', { hasText: 'stores.csv' });
    await row.getByRole('button', { name: 'Open' }).click({ timeout: 30_000 });
    const open = page.getByTestId('output-open');
    const key = open.locator('.col-head[data-col="StoreKey"]');
    await key.click({ button: 'right' });
    await menu().getByTestId('menu-sort-desc').click();
    await expect.poll(() => key.locator('.col-sort').textContent()).toBe('↓');
    await expect
      .poll(() => open.locator('.ag-row[row-index="0"] [col-id="StoreKey"]').textContent())
      .toBe('66');
    // Outputs carry types: the header says so.
    expect(await key.locator('.type-icon').getAttribute('title')).toBe('whole number');
  });
});

describe('other sizes and dark', () => {
  it.each([
    { width: 1024, height: 700, colorScheme: 'dark' as const },
    { width: 1440, height: 900, colorScheme: 'dark' as const },
    { width: 1024, height: 700, colorScheme: 'light' as const },
  ])(
    'menus and markers read at $width×$height, $colorScheme',
    async ({ width, height, colorScheme }) => {
      const d = await openWindow({ width, height, colorScheme });
      try {
        const p = d.page;
        await p.click('[data-testid=pipeline-sales]');
        await expect
          .poll(() => p.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
          .toContain('step 1: trim');
        await p.click('[data-testid=step-3] .label');
        await expect
          .poll(() => p.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
          .toContain('step 3: parse_dates');
        const h = p.locator('[data-testid=grid-after] .col-head[data-col="Order Date"]');
        await expect
          .poll(() => h.getAttribute('class'), { timeout: 30_000 })
          .toContain('col-changed');
        expect(await h.getAttribute('title')).toBe('Order Date · date · changed by this step');
        await openMenu('after', 'Order Date', p);
        // The whole menu is on screen.
        const box = (await p.getByRole('menu').boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(height);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        await d.shot(`grid-menus-${colorScheme}-${width}`);
        await p.keyboard.press('Escape');
        expect(d.problems).toEqual([]);
      } finally {
        await d.close();
      }
    },
    120_000,
  );
});
