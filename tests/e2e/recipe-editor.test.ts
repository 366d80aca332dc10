/**
 * The recipe's code editor and its history in Chromium, on the example project over the real
 * retail data: a column the data does not have, typed into the YAML, is marked at its line, in
 * the problems list, on the step and on the form field; a bad expression too; Ctrl+Z in the
 * editor and the Undo button walk one history, which the History panel names and can return to
 * any point of; two saves keep two versions, whose diff shows what changed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openWindow, type Window } from '../helpers/e2e';

let win: Window;
let page: Page;

const editor = () => page.locator('[data-testid=recipe-editor] .cm-content');
/** The editor's text (the customers recipe is short: CodeMirror draws every line). */
const text = () => editor().innerText();
const problems = () => page.locator('[data-testid=recipe-issues]');
const edits = () => page.locator('[data-testid=history-edits] li');
/** Which point of the history is the current one. */
const currentEdit = () =>
  page
    .locator('[data-testid=history-edits] li button')
    .evaluateAll((bs) => bs.findIndex((b) => b.getAttribute('aria-current') === 'step'));

/** Puts the cursor at the end of the editor's line holding `needle`. */
async function endOf(needle: string): Promise<void> {
  await page.locator('.cm-line', { hasText: needle }).click();
  await page.keyboard.press('End');
}

beforeAll(async () => {
  win = await openWindow({ width: 1440, height: 900 });
  page = win.page;
}, 120_000);
afterAll(() => win?.close());
afterEach(() => {
  expect(win.problems).toEqual([]);
});

describe('the recipe editor', () => {
  it('marks an unknown column and a bad expression at their line, in the list, on the step and the field', async () => {
    await page.click('[data-testid=pipeline-customers]');
    await expect.poll(() => text(), { timeout: 30_000 }).toContain('columns: [Birthday]');
    // The first step's preview first (a newer one would cancel it, as a user's next click does).
    await expect
      .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
      .toContain('step 1');
    // Highlighted YAML with line numbers.
    expect(await page.locator('.cm-lineNumbers .cm-gutterElement').count()).toBeGreaterThan(20);
    expect(await page.locator('.cm-content span[class]').count()).toBeGreaterThan(10);

    await endOf('columns: [Birthday]');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('te');
    await expect.poll(() => text()).toContain('columns: [Birthdate]');
    const line = (await text()).split('\n').findIndex((l) => l.includes('[Birthdate]')) + 1;
    // From the service, once typing pauses: against the source's real columns.
    await expect
      .poll(() => problems().textContent(), { timeout: 30_000 })
      .toContain('step 3 (parse_dates): unknown column "Birthdate"');
    expect(await problems().textContent()).toContain(`line ${line}`);
    // In the editor: the line underlined and a marker in the gutter.
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    expect(await page.locator('.cm-lintRange-error').first().textContent()).toContain('Birthdate');
    expect(await page.locator('.cm-lint-marker-error').count()).toBe(1);
    await expect
      .poll(() => page.getAttribute('[data-testid=step-3]', 'class'))
      .toContain('invalid');

    // A click on the problem selects its step (its form shows the problem under the field) and
    // puts the editor's cursor on the line.
    await page.click('[data-testid=step-1] .label');
    await problems().getByRole('button').first().click();
    await expect.poll(() => page.getAttribute('[data-testid=step-3]', 'aria-current')).toBe('step');
    const form = page.locator('[data-testid=step-form]');
    await expect.poll(() => form.locator('.issue').textContent()).toContain('unknown column');
    await expect
      .poll(() => page.locator('.cm-activeLine').textContent())
      .toContain('columns: [Birthdate]');
    await win.shot('recipe-editor-problems');

    // A bad expression, typed into the new filter step's line: named at its line as well.
    await page.selectOption('select[aria-label="new step kind"]', 'filter');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.waitForSelector('[data-testid=step-4]');
    // Inside the closing quote of `where: '… is not null'`.
    await endOf('where:');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(' >');
    await expect
      .poll(() => problems().textContent(), { timeout: 30_000 })
      .toMatch(/step 4 \(filter\)/);
    await expect
      .poll(() => page.getAttribute('[data-testid=step-4]', 'class'))
      .toContain('invalid');
  });

  it('Ctrl+Z in the editor and the Undo button walk one history, which the History panel names', async () => {
    await expect
      .poll(async () => (await edits().allTextContents()).map((t) => t.slice(1)))
      .toEqual([
        'As opened',
        'Changed columns of step 3 (parse_dates)',
        'Added filter as step 4',
        'Changed where of step 4 (filter)',
      ]);
    expect(await edits().nth(3).locator('button').getAttribute('aria-current')).toBe('step');
    await page.locator('[data-testid=history]').scrollIntoViewIfNeeded();
    await win.shot('recipe-editor-history');

    // Undo inside the editor: the recipe's last edit (the typed " >"), from its one history.
    await editor().click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => text()).not.toContain('not null >');
    await expect.poll(currentEdit).toBe(2);
    // The Undo button goes on along the same history: the filter step goes.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect
      .poll(() => page.locator('[data-testid=step-4] .label').textContent())
      .toContain('cast');
    // Ctrl+Shift+Z in the editor redoes it.
    await editor().click();
    await page.keyboard.press('Control+Shift+KeyZ');
    await expect
      .poll(() => page.locator('[data-testid=step-4] .label').textContent())
      .toContain('filter');
    // A click on the first point returns there; the later ones stay, to redo.
    await edits().nth(0).locator('button').click();
    await expect.poll(() => text()).toContain('columns: [Birthday]');
    expect(await text()).not.toContain('filter');
    expect(await edits().count()).toBe(4);
    expect(await edits().nth(0).locator('button').getAttribute('aria-current')).toBe('step');
    await expect.poll(() => problems().count()).toBe(0);
    await edits().nth(3).locator('button').click();
    await expect.poll(() => text()).toContain('not null >');
    await edits().nth(0).locator('button').click();
    await expect.poll(() => text()).not.toContain('filter');
  });

  it('two saves keep two versions, and their diff shows the line that changed', async () => {
    await page.click('button[aria-label="disable step 6"]');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => page.textContent('[data-testid=version-count]'))
      .toBe('1 saved version');
    await page.click('button[aria-label="enable step 6"]');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => page.textContent('[data-testid=version-count]'))
      .toBe('2 saved versions');
    const diff = page.locator('[data-testid=version-diff]');
    await expect
      .poll(() => diff.locator('.line.del').allTextContents())
      .toEqual([expect.stringContaining('enabled: false')]);
    expect(await diff.locator('.line.add').count()).toBe(0);
    const { items } = await win.service.handlers['pipelines.versions']({ name: 'customers' });
    expect(items).toHaveLength(2);
    const hashes = await diff.locator('.hashes code').allTextContents();
    expect(hashes).toEqual([items[1].hash.slice(0, 12), items[0].hash.slice(0, 12)]);
    // The preview is back once the recipe has no problems.
    await expect
      .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
      .toContain('step 4: cast');
    await expect.poll(() => page.locator('[data-testid=preview] .error').count()).toBe(0);
    await diff.scrollIntoViewIfNeeded();
    await win.shot('recipe-editor-diff');
  });
});

describe('the recipe editor, dark and at 1024×700', () => {
  it('shows the problems and the history in the dark theme, nothing off-screen', async () => {
    const dark = await openWindow({ width: 1024, height: 700, colorScheme: 'dark' });
    try {
      const p = dark.page;
      await p.click('[data-testid=pipeline-customers]');
      await expect
        .poll(() => p.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
        .toContain('step 1');
      // The dedupe's key (the SQLite output's comes after it).
      await p.locator('.cm-line', { hasText: 'key: [CustomerKey]' }).first().click();
      await p.keyboard.press('End');
      await p.keyboard.press('ArrowLeft');
      await p.keyboard.type('s');
      await expect
        .poll(() => p.locator('[data-testid=recipe-issues]').textContent(), { timeout: 30_000 })
        .toContain('unknown column "CustomerKeys"');
      const bg = await p
        .locator('.cm-editor')
        .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).backgroundColor);
      expect(bg).toBe('rgb(22, 24, 28)');
      const box = await p.locator('[data-testid=recipe-editor]').boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
      await p.locator('[data-testid=recipe-issues]').scrollIntoViewIfNeeded();
      await dark.shot('recipe-editor-problems-dark');
      await p.locator('[data-testid=history]').scrollIntoViewIfNeeded();
      await dark.shot('recipe-editor-history-dark');
      expect(dark.problems).toEqual([]);
    } finally {
      await dark.close();
    }
  }, 120_000);
});
