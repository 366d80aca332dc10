/**
 * The profile of a step's data and its facets in Debian's Chromium, on the example project over
 * the real retail data: the panel shows the data after the selected step; a click on a value
 * filters both grids and the chip says how many rows match; facets combine; a chip removes its
 * facet; under a facet, "Next changed row" lands on matching rows only, both grids follow and
 * the export writes the matching rows; clusters of the real customers' cities merge into one
 * replace step. Light and dark.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Facet } from '../../src-shared/api/contract';
import { openWindow, recipeText, type Window } from '../helpers/e2e';
import { SHARED } from '../helpers/tmp';

const AXE = join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');
interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[];
}

let w: Window;
let page: Page;

beforeAll(async () => {
  w = await openWindow({ width: 1440, height: 900 });
  page = w.page;
}, 120_000);

afterAll(async () => {
  await w?.close();
});

afterEach(() => {
  expect(w.problems).toEqual([]);
});

/** The matching count the service gives for these facets after step `step` of `name`. */
async function matching(name: string, step: number, facets: Facet[]): Promise<number> {
  const r = await w.service.handlers['pipelines.profile']!({
    name,
    step,
    side: 'after',
    facets,
    top: 20,
    bins: 12,
  });
  return r.matching;
}

/** The source lines of the first rows a grid shows (the pinned line column is always drawn). */
async function shownLines(grid: string, on: Page = page): Promise<number[]> {
  const texts = await on
    .locator(`[data-testid=${grid}] .ag-cell[col-id=__line]`)
    .evaluateAll((cells) =>
      cells
        .map((c) => {
          const row = c.closest('[row-index]');
          return [Number(row?.getAttribute('row-index')), c.textContent?.trim() ?? ''] as const;
        })
        .sort((a, b) => a[0] - b[0])
        .map(([, t]) => t),
    );
  // A row still loading has an empty line cell.
  return texts
    .filter((t) => t !== '')
    .slice(0, 5)
    .map(Number);
}

/** The source lines of the first rows of one side under `facets`, as the service pages them. */
async function expectedLines(side: 'before' | 'after', facets: Facet[]): Promise<number[]> {
  const r = await w.service.handlers['pipelines.previewRows']!({
    name: 'sales',
    step: 3,
    side,
    offset: 0,
    limit: 5,
    facets,
  });
  return r.lines;
}

async function openStep(pipeline: string, step: number, kind: string): Promise<void> {
  await page.click(`[data-testid=pipeline-${pipeline}]`);
  // The step list is this pipeline's once the editor names it.
  await expect
    .poll(() => page.locator('.editor-left .toolbar b').first().textContent(), { timeout: 30_000 })
    .toBe(pipeline);
  // The first step's preview first: a step clicked while it computes cancels it (409).
  await expect
    .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
    .toContain('step 1:');
  await page.click(`[data-testid=step-${step}] .label`);
  await expect
    .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
    .toContain(`step ${step}: ${kind}`);
}

describe('the profile of a step, and facets', () => {
  it("shows the selected step's after-data profile over every row", async () => {
    await openStep('sales', 3, 'parse_dates');
    const panel = page.locator('[data-testid=step-profile]');
    await expect
      .poll(() => panel.textContent(), { timeout: 60_000 })
      .toContain('after step 3: parse_dates');
    await expect.poll(() => panel.textContent(), { timeout: 60_000 }).toContain('62,884 rows');
    // After parse_dates the dates are dates, with a histogram from the first to the last day.
    const date = page.locator('[data-testid="profile-col-Order Date"]');
    await expect.poll(() => date.locator('.type-icon').getAttribute('title')).toBe('date');
    await expect.poll(() => date.textContent()).toContain('2016-01-01 – 2021-02-20');
    expect(await date.locator('.bar-row').count()).toBeGreaterThan(5);
    // Quantity is still text here, and the panel says what it reads as.
    await expect
      .poll(() => page.locator('[data-testid=profile-col-Quantity]').textContent())
      .toContain('reads as int');
    await panel.evaluate((e) => e.scrollIntoView());
    await w.shot('profile-panel-light');
  }, 120_000);

  it('a click on a value filters both grids and the chip counts the matching rows', async () => {
    const currency = page.locator('[data-testid="profile-col-Currency Code"]');
    const cad = currency.locator('.bar-row', { hasText: 'CAD' });
    const cadRows = Number((await cad.locator('.bar-n').innerText()).replace(/,/g, ''));
    expect(cadRows).toBeGreaterThan(1000);
    await cad.click();
    await expect.poll(() => page.locator('[data-testid=facet-chip]').count()).toBe(1);
    await expect
      .poll(() => page.textContent('[data-testid=facet-count]'), { timeout: 60_000 })
      .toBe(`${cadRows.toLocaleString('en-US')} of 62,884 rows match`);
    // Both grids show the CAD rows only: their first lines are the first CAD lines of the file.
    const cadFacet: Facet = { kind: 'values', column: 'Currency Code', values: ['CAD'] };
    for (const side of ['before', 'after'] as const) {
      const want = await expectedLines(side, [cadFacet]);
      expect(want[1] - want[0]).toBeGreaterThan(1);
      await expect.poll(() => shownLines(`grid-${side}`), { timeout: 30_000 }).toEqual(want);
    }
    // The counts above the grids stay whole-data.
    expect(await page.textContent('[data-testid=count-rows_in]')).toContain('62,884');
    expect(await cad.getAttribute('aria-pressed')).toBe('true');
  }, 120_000);

  it('a second facet combines with the first; removing a chip removes its facet', async () => {
    const date = page.locator('[data-testid="profile-col-Order Date"]');
    const first = date.locator('.bar-row').first();
    // The bar shows where its bin starts; its tooltip, the first and last day it holds.
    const title = (await first.getAttribute('title')) ?? '';
    const [, from, to] = /^(\S+) – (\S+): /.exec(title) ?? [];
    expect(await first.locator('.bar-label').innerText()).toBe(from);
    await first.click();
    await expect.poll(() => page.locator('[data-testid=facet-chip]').count()).toBe(2);
    const cad: Facet = { kind: 'values', column: 'Currency Code', values: ['CAD'] };
    const range: Facet = { kind: 'range', column: 'Order Date', from, to };
    const both = await matching('sales', 3, [cad, range]);
    expect(both).toBeGreaterThan(0);
    await expect
      .poll(() => page.textContent('[data-testid=facet-count]'), { timeout: 60_000 })
      .toBe(`${both.toLocaleString('en-US')} of 62,884 rows match`);
    await expect
      .poll(() => shownLines('grid-after'), { timeout: 30_000 })
      .toEqual(await expectedLines('after', [cad, range]));
    await w.shot('profile-facets-light');
    // The panel and the chips pass axe-core: no serious or critical violation.
    // Evaluated, not a script tag: the window's Content-Security-Policy refuses inline scripts.
    await page.evaluate(readFileSync(AXE, 'utf8'));
    const found = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(c: unknown): Promise<AxeResults> } }).axe;
      const r = await axe.run({
        include: [['[data-testid=step-profile]'], ['[data-testid=facet-bar]']],
      });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.length} (${v.help})`);
    });
    expect(found).toEqual([]);
    // Off with the currency: the date range alone.
    await page.getByRole('button', { name: 'remove facet Currency Code: CAD' }).click();
    await expect.poll(() => page.locator('[data-testid=facet-chip]').count()).toBe(1);
    const alone = await matching('sales', 3, [range]);
    await expect
      .poll(() => page.textContent('[data-testid=facet-count]'), { timeout: 60_000 })
      .toBe(`${alone.toLocaleString('en-US')} of 62,884 rows match`);
    await expect
      .poll(() => shownLines('grid-before'), { timeout: 30_000 })
      .toEqual(await expectedLines('before', [range]));
    await page.getByRole('button', { name: /^remove facet/ }).click();
    await expect.poll(() => page.locator('[data-testid=facet-bar]').count()).toBe(0);
  }, 120_000);
});

/** The source lines of the real Sales.csv: line number → [Delivery Date, Currency Code]. */
function salesLines(): Map<number, [string, string]> {
  const text = readFileSync(join(SHARED, 'Sales.csv'), 'utf8').split(/\r?\n/);
  const out = new Map<number, [string, string]>();
  // Line 1 is the header; Sales.csv has no quoted cells.
  text.forEach((l, i) => {
    const c = l.split(',');
    if (i > 0 && c.length > 8) out.set(i + 1, [c[3], c[8]]);
  });
  return out;
}

/** The source line of the focused row of a side's grid, or null. */
const focusedLine = async (side: string): Promise<number | null> => {
  const cell = page.locator(`[data-testid=grid-${side}] .ag-row-focus [col-id=__line]`).first();
  return (await cell.count()) ? Number(await cell.textContent()) : null;
};

/** The source line of the top row in view of a side's grid (the rows below its header). */
async function topLine(side: string): Promise<number | null> {
  const grid = page.locator(`[data-testid=grid-${side}]`);
  const top = (await grid.locator('.ag-header').boundingBox())?.y;
  const h = (await grid.locator('.ag-header').boundingBox())?.height;
  if (top === undefined || h === undefined) return null;
  const rows = await grid
    .locator('.ag-row[row-index]')
    .evaluateAll((els) =>
      els.map(
        (e) =>
          [
            e.getBoundingClientRect().top,
            e.querySelector('[col-id=__line]')?.textContent ?? '',
          ] as const,
      ),
    );
  const first = rows
    .filter(([t, text]) => t >= top + h - 2 && text !== '')
    .sort((a, b) => a[0] - b[0])[0];
  return first ? Number(first[1]) : null;
}

describe('facets and the preview agree', () => {
  it('jumps to the next changed row among the matching rows; both grids follow; export writes them', async () => {
    const sales = salesLines();
    // nullify: a blank Delivery Date becomes null. Among the CAD rows, which ones it changes.
    const cadLines = [...sales].filter(([, [, cur]]) => cur === 'CAD').map(([l]) => l);
    const changed = cadLines.filter((l) => sales.get(l)![0] === '');
    // Sales is open at step 3 (the tests above): its step 2.
    await page.click('[data-testid=step-2] .label');
    await expect
      .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
      .toContain('step 2: nullify');
    const cad = page.locator('[data-testid="profile-col-Currency Code"] .bar-row', {
      hasText: 'CAD',
    });
    await cad.click({ timeout: 60_000 });
    await expect
      .poll(() => page.textContent('[data-testid=facet-count]'), { timeout: 60_000 })
      .toBe(`${cadLines.length.toLocaleString('en-US')} of 62,884 rows match`);
    await expect
      .poll(() => shownLines('grid-after'), { timeout: 30_000 })
      .toEqual(cadLines.slice(0, 5));
    // Each grid's heading counts its matching rows.
    await expect
      .poll(() => page.getByTestId('before-rows').textContent(), { timeout: 30_000 })
      .toBe(`${cadLines.length.toLocaleString('en-US')} rows match`);

    // Three jumps: the first three CAD rows nullify changed (lines 2, 16, 52 of the file), the
    // third the seventh CAD row, though the fifty-first row of the file.
    for (const want of changed.slice(0, 3)) {
      await page.getByTestId('next-changed').click();
      await expect.poll(() => focusedLine('after'), { timeout: 30_000 }).toBe(want);
      const row = page.locator('[data-testid=grid-after] .ag-row-focus');
      expect(await row.locator('.cell-changed').count()).toBeGreaterThan(0);
      // The row shown passes the facet, and the before grid shows its twin at the top.
      expect(sales.get(want)![1]).toBe('CAD');
      await expect.poll(() => topLine('after'), { timeout: 30_000 }).toBe(want);
      await expect.poll(() => topLine('before'), { timeout: 30_000 }).toBe(want);
    }
    await w.shot('profile-facets-next-changed');

    // The export writes the matching rows only, and its name says which.
    const label = `Export ${cadLines.length.toLocaleString('en-US')} matching after rows as CSV`;
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: label }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('sales-step-2-after where Currency Code CAD.csv');
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(cadLines.length + 1);
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(cadLines);
    await page.getByRole('button', { name: /^remove facet/ }).click();
    await expect.poll(() => page.locator('[data-testid=facet-bar]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Export after as CSV' }).count()).toBe(1);
  }, 180_000);
});

describe('clusters', () => {
  it("merges the real customers' near-identical cities into one replace step", async () => {
    await openStep('customers', 2, 'nullify');
    const section = page.locator('[data-testid=clusters]');
    await expect.poll(() => section.count(), { timeout: 60_000 }).toBe(1);
    await section.locator('select[aria-label="cluster column"]').selectOption('City');
    await section.getByRole('button', { name: 'Find clusters' }).click();
    // In Customers.csv: Macon (3) and MÂCON (2), Orleans (1) and ORLÉANS (2).
    const rows = section.locator('[data-testid=cluster]');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
    await expect.poll(() => rows.nth(0).textContent()).toMatch(/Macon \(3\).*MÂCON \(2\)/);
    await expect.poll(() => rows.nth(1).textContent()).toMatch(/ORLÉANS \(2\).*Orleans \(1\)/);
    // The new value of the second is edited: the plain spelling.
    await section.locator('input[aria-label="new value for cluster 2"]').fill('Orléans');
    await w.shot('profile-clusters-light');
    await section.getByRole('button', { name: /Merge selected/ }).click();
    await expect
      .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
      .toContain('step 3: replace');
    // MÂCON x2, ORLÉANS x2 and Orleans x1 changed.
    await expect
      .poll(() => page.textContent('[data-testid=count-cells_changed]'), { timeout: 60_000 })
      .toContain('5');
    expect(await recipeText(w, 'customers')).toMatch(
      /- step: replace\n\s+name: merge City\n\s+columns:\s*\n\s+- City\n\s+values:\n\s+MÂCON: Macon\n\s+ORLÉANS: Orléans\n\s+Orleans: Orléans/,
    );
    // After the merge, the city's clusters are gone and the merged values are counted together.
    const city = page.locator('[data-testid=profile-col-City]');
    await city.waitFor({ timeout: 60_000 });
    await section.locator('select[aria-label="cluster column"]').selectOption('City');
    await section.getByRole('button', { name: 'Find clusters' }).click();
    await expect
      .poll(() => section.locator('[data-testid=no-clusters]').count(), { timeout: 60_000 })
      .toBe(1);
    await page.getByRole('button', { name: 'Undo' }).click();
  }, 180_000);
});

describe('dark, and a small window', () => {
  it('reads well in dark at 1440×900 and fits 1024×700', async () => {
    for (const [width, height, scheme] of [
      [1440, 900, 'dark'],
      [1024, 700, 'light'],
    ] as const) {
      const d = await openWindow({ width, height, colorScheme: scheme });
      try {
        const p = d.page;
        await p.click('[data-testid=pipeline-customers]');
        await expect
          .poll(() => p.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
          .toContain('step 1:');
        await p.click('[data-testid=step-3] .label');
        // Step 3's own profile: a bar of step 1's, clicked while step 3 computes, facets step 1.
        await expect
          .poll(() => p.textContent('[data-testid=step-profile] h3'), { timeout: 60_000 })
          .toContain('after step 3');
        const gender = p.locator('[data-testid=profile-col-Gender] .bar-row', {
          hasText: 'Female',
        });
        await gender.waitFor({ timeout: 60_000 });
        await gender.click();
        await expect
          .poll(() => p.textContent('[data-testid=facet-count]'), { timeout: 60_000 })
          .toMatch(/^[\d,]+ of 15,266 rows match$/);
        // Both grids show Female rows only.
        for (const grid of ['grid-before', 'grid-after'])
          await expect
            .poll(async () => (await shownLines(grid, p)).length, { timeout: 30_000 })
            .toBeGreaterThan(0);
        await p.locator('[data-testid=preview]').evaluate((e) => e.scrollIntoView());
        await d.shot(`profile-facets-${scheme}-${width}`);
        await p.locator('[data-testid=step-profile]').evaluate((e) => e.scrollIntoView());
        await d.shot(`profile-panel-${scheme}-${width}`);
        // Clusters of the women's cities, under the facet.
        const section = p.locator('[data-testid=clusters]');
        await section.locator('select[aria-label="cluster column"]').selectOption('City');
        await section.getByRole('button', { name: 'Find clusters' }).click();
        await expect
          .poll(() => section.locator('[data-testid=cluster], [data-testid=no-clusters]').count(), {
            timeout: 60_000,
          })
          .toBeGreaterThan(0);
        await section.evaluate((e) => e.scrollIntoView());
        await d.shot(`profile-clusters-${scheme}-${width}`);
        expect(d.problems).toEqual([]);
      } finally {
        await d.close();
      }
    }
  }, 240_000);
});
