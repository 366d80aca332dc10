/**
 * Step forms that know the columns, in Chromium on the example project over the real retail
 * data: a trim's column picked by autocomplete, an aggregate with its group-by and an
 * aggregation row, a join with its key pairs and its matched / left-only / right-only counts
 * over all 62,884 sales rows, and a derive whose expression editor completes a column and a
 * function and marks a type error in place. Each editor is shot in light and dark.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { openWindow, recipeText, type Window } from '../helpers/e2e';

let w: Window;
let page: Page;

const recipe = async (): Promise<{ steps: Record<string, unknown>[] }> =>
  parse(await recipeText(w, 'sales')) as {
    steps: Record<string, unknown>[];
  };
const form = (): ReturnType<Page['locator']> => page.locator('[data-testid=step-form]');

/** Adds a step of `kind` after step `after` (default: the last) and waits for its form. */
async function addStep(kind: string, after?: number): Promise<number> {
  const n = after ?? (await recipe()).steps.length;
  await page.click(`[data-testid=step-${n}] .label`);
  await page.selectOption('select[aria-label="new step kind"]', kind);
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.waitForSelector(`[data-testid=step-${n + 1}]`);
  await expect.poll(() => form().locator('h3').textContent()).toContain(`Step ${n + 1}: ${kind}`);
  // The input columns of the new step are known (from the recipe, no rows run).
  await expect.poll(() => form().locator('h3').textContent()).toMatch(/\d+ columns in/);
  return n + 1;
}

/** Removes step `n` again, so each test starts from the saved sales recipe. */
async function dropStep(n?: number): Promise<void> {
  const count = (await recipe()).steps.length;
  await page.click(`button[aria-label="delete step ${n ?? count}"]`);
  await expect.poll(async () => (await recipe()).steps.length).toBe(count - 1);
}

/**
 * Waits until the preview of step `n` is on screen and no longer computing, so that the next
 * edit does not replace a preview still being computed.
 */
async function settled(n: number): Promise<void> {
  await expect
    .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 120_000 })
    .toContain(`step ${n}:`);
  await expect
    .poll(() => page.locator('[data-testid=preview-progress]').count(), { timeout: 120_000 })
    .toBe(0);
}

async function shotBoth(name: string): Promise<void> {
  await w.shot(`${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await w.shot(`${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

beforeAll(async () => {
  w = await openWindow({ width: 1440, height: 900 });
  page = w.page;
  await page.click('[data-testid=pipeline-sales]');
  await page.waitForSelector('[data-testid=step-6]');
}, 120_000);

afterAll(async () => {
  await w?.close();
});

afterEach(() => {
  // A preview replaced by the next edit is refused (409) and dropped by the store; the window
  // asks for errors in the body, so not even that is a console error.
  expect(w.problems).toEqual([]);
});

// Each test waits for whole-data previews of 62,884 rows on a busy machine.
describe('step forms on the real sales data', { timeout: 300_000 }, () => {
  it("a trim's column is picked by autocomplete from the step's input columns", async () => {
    // After step 1, where every column is still text.
    const n = await addStep('trim', 1);
    // A new trim starts valid: every text column.
    expect((await recipe()).steps[n - 1]).toEqual({ step: 'trim' });
    await form().getByLabel('columns: every text column').uncheck();
    // A list starts with the first text column.
    await expect
      .poll(async () => (await recipe()).steps[n - 1])
      .toEqual({ step: 'trim', columns: ['Order Number'] });
    const input = form().getByRole('combobox', { name: 'columns' });
    await input.click();
    await input.pressSequentially('cust');
    const list = form().getByRole('listbox');
    await expect
      .poll(() => list.getByRole('option').first().textContent())
      .toBe('CustomerKeystring');
    await shotBoth('step-forms-trim-autocomplete');
    await input.press('Enter');
    await expect
      .poll(async () => (await recipe()).steps[n - 1])
      .toEqual({ step: 'trim', columns: ['Order Number', 'CustomerKey'] });
    await settled(n);
    await form().getByRole('button', { name: 'remove Order Number' }).click();
    await expect
      .poll(async () => (await recipe()).steps[n - 1])
      .toEqual({ step: 'trim', columns: ['CustomerKey'] });
    await expect
      .poll(() => form().getByTestId('column-chip').allTextContents())
      .toEqual(['CustomerKey✕']);
    await settled(n);
    await dropStep(n);
  });

  it('an aggregate: group-by picked from the list, one row per aggregation', async () => {
    const n = await addStep('aggregate');
    await settled(n);
    // Starts valid: grouped by the first input column, counting rows.
    expect((await recipe()).steps[n - 1]).toEqual({
      step: 'aggregate',
      group_by: ['Order Number'],
      aggregations: [{ fn: 'count', as: 'rows' }],
    });
    const groupBy = form().getByRole('combobox', { name: 'group_by' });
    await form().getByRole('button', { name: 'remove Order Number' }).click();
    await settled(n);
    await groupBy.click();
    // The list offers the input columns with their types; a click picks one.
    await form()
      .getByRole('option', { name: /Currency Code\s*string/ })
      .click();
    await settled(n);
    // One more aggregation row: the sum of Quantity as total_quantity.
    await form().getByRole('button', { name: '+ Add aggregation' }).click();
    await expect.poll(() => form().getByTestId('aggregation-row').count()).toBe(2);
    await settled(n);
    const col = form().getByRole('combobox', { name: 'aggregation 2 column' });
    await col.fill('');
    await col.pressSequentially('Quan');
    await col.press('Enter');
    await settled(n);
    await form().getByLabel('aggregation 2 as').fill('total_quantity');
    await form().getByLabel('aggregation 2 as').press('Enter');
    await expect
      .poll(async () => (await recipe()).steps[n - 1])
      .toEqual({
        step: 'aggregate',
        group_by: ['Currency Code'],
        aggregations: [
          { fn: 'count', as: 'rows' },
          { column: 'Quantity', fn: 'sum', as: 'total_quantity' },
        ],
      });
    // The preview follows: five currencies, whole-data counts.
    await expect
      .poll(() => page.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
      .toContain(`step ${n}: aggregate`);
    await expect
      .poll(() => page.locator('[data-testid=grid-after]').textContent(), { timeout: 60_000 })
      .toContain('total_quantity');
    await shotBoth('step-forms-aggregate');
    await dropStep();
  });

  it('a join: the other side and key pairs picked, matched / left-only / right-only counted over all rows', async () => {
    const n = await addStep('join');
    await settled(n);
    // No pipeline has run yet: a new join starts on a table it can read, the source file.
    expect((await recipe()).steps[n - 1]).toEqual({
      step: 'join',
      with: { csv: 'Sales.csv' },
      on: ['Order Number'],
    });
    // Another file: the key follows to a column both sides have, in the same edit.
    const file = form().getByLabel('join with: file');
    await file.fill('Products.csv');
    await file.press('Enter');
    const right = form().getByRole('combobox', { name: 'key 1 right' });
    await right.click();
    // The right side's columns come from the file itself.
    await expect
      .poll(() => form().getByRole('option').allTextContents())
      .toContain('Product Namestring');
    await right.press('Escape');
    await expect
      .poll(async () => (await recipe()).steps[n - 1])
      .toEqual({
        step: 'join',
        with: { csv: 'Products.csv' },
        on: ['ProductKey'],
      });
    // Every sale has its product; 25 products were never sold.
    const counts = form().getByTestId('join-counts');
    await expect
      .poll(() => counts.textContent(), { timeout: 120_000 })
      .toMatch(/^62,884 matched0 left only25 right onlyof 62,884 rows, over all rows$/);
    await shotBoth('step-forms-join');
    // A key pair with different names on each side.
    await settled(n);
    await right.fill('');
    await right.pressSequentially('Brand');
    await right.press('Enter');
    await expect
      .poll(async () => (await recipe()).steps[n - 1].on)
      .toEqual([{ left: 'ProductKey', right: 'Brand' }]);
    await expect
      .poll(() => counts.textContent(), { timeout: 120_000 })
      .toMatch(/^0 matched62,884 left only2,517 right only/);
    await settled(n);
    await dropStep();
  });

  it('a derive: completion of a column and a function, and a type error marked in place', async () => {
    const n = await addStep('derive');
    await settled(n);
    const editor = form().locator('[data-testid="expression-column 1 expression"] .cm-content');
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    // A function, completed with its signature shown.
    await page.keyboard.type('rou');
    const options = page.locator('.cm-tooltip-autocomplete li');
    await expect.poll(() => options.first().textContent()).toContain('round(number');
    // Checked as typed: "rou" alone is an unknown column. (Waiting for that also lets the
    // completion take keys: it ignores Enter in the first moments after it opens.)
    const error = form().getByTestId('expression-error');
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toMatch(/"rou"/);
    await page.keyboard.press('Enter');
    // A column inside the call, completed.
    await page.keyboard.type('Quan');
    await expect.poll(() => options.first().textContent()).toContain('Quantity');
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toMatch(/"Quan"/);
    await shotBoth('step-forms-derive-completion');
    await page.keyboard.press('Enter');
    await expect.poll(() => editor.textContent()).toBe('round(Quantity)');
    await expect
      .poll(() => form().getByTestId('expression-type').textContent(), { timeout: 30_000 })
      .toContain('gives int');
    // A type error: a date function on a text column, marked where it is.
    await page.keyboard.press('End');
    await page.keyboard.type(' + year([Currency Code])');
    await expect
      .poll(() => form().getByTestId('expression-error').textContent(), { timeout: 30_000 })
      .toMatch(/year/);
    await expect.poll(() => form().locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    await shotBoth('step-forms-derive-error');
    // Fixed and left: written to the recipe.
    for (let i = 0; i < ' + year([Currency Code])'.length; i++)
      await page.keyboard.press('Backspace');
    await page.keyboard.type(' * 2');
    await form().locator('h3').click();
    await expect
      .poll(async () => (await recipe()).steps[n - 1])
      .toEqual({ step: 'derive', columns: { new_column: 'round(Quantity) * 2' } });
    await dropStep();
  });

  it('the validate and window editors, also at 1024×700 with nothing off-screen', async () => {
    await page.click('[data-testid=step-6] .label');
    await expect.poll(() => form().locator('h3').textContent()).toContain('Step 6: validate');
    // One row per rule of the recipe: column, check and its settings, action.
    await expect.poll(() => form().getByTestId('rule-row').count()).toBe(2);
    expect(await form().getByLabel('rule 1 check').inputValue()).toBe('range');
    expect(await form().getByLabel('rule 1 min').inputValue()).toBe('1');
    expect(await form().getByLabel('rule 2 allowed values').inputValue()).toBe(
      'USD, CAD, AUD, EUR, GBP',
    );
    await settled(6);
    await shotBoth('step-forms-validate');
    await page.setViewportSize({ width: 1024, height: 700 });
    const n = await addStep('window');
    await settled(n);
    await expect.poll(() => form().getByTestId('window function-row').count()).toBe(1);
    await shotBoth('step-forms-window-1024');
    for (const el of await form().locator('input, select, button').all()) {
      const box = await el.boundingBox();
      if (box) expect(box.x + box.width).toBeLessThanOrEqual(1024);
    }
    await dropStep();
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
