/**
 * axe-core on every screen of the window, light and dark, over the example project on the real
 * data: the pipeline list, the editor with a step and its preview (and a column's menu open), the
 * graph, a finished run, the outputs, and each dialog. No serious or critical violation is allowed. axe is added to
 * the page as a script, which the window's policy forbids: this test alone opens the window
 * with the policy bypassed (tests/e2e/csp.test.ts checks the policy itself).
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWindow, type Window } from '../helpers/e2e';
import { tempDir } from '../helpers/tmp';

const AXE = readFileSync(
  join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'),
  'utf8',
);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** The serious and critical violations on the page as it is, one readable line each. */
async function violations(w: Window): Promise<string[]> {
  const loaded = await w.page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await w.page.addScriptTag({ content: AXE });
  const found = await w.page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: object): Promise<unknown> } }).axe;
    const r = (await axe.run({ resultTypes: ['violations'] })) as { violations: Violation[] };
    return r.violations;
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes.length} element(s), e.g. ` +
        v.nodes
          .slice(0, 3)
          .map((n) => `${JSON.stringify(n.target)} (${n.failureSummary?.replace(/\s+/g, ' ')})`)
          .join('; '),
    );
}

for (const scheme of ['light', 'dark'] as const) {
  describe(`accessibility, ${scheme}`, () => {
    let w: Window;
    /** Checks the screen as it is now and keeps a screenshot of it. */
    const check = async (screen: string): Promise<void> => {
      await w.shot(`a11y-${scheme}-${screen}`);
      expect((await violations(w)).join('\n'), screen).toBe('');
    };

    beforeAll(async () => {
      w = await openWindow({ colorScheme: scheme, bypassCSP: true });
      // A finished run of one pipeline, for the runs and outputs screens.
      await w.service.startRun({ pipelines: ['stores'] });
      await w.service.idle();
    }, 180_000);

    afterAll(async () => {
      await w?.close();
    });

    it('the pipeline list', async () => {
      await w.page.locator('[data-testid=pipelines-table]').waitFor();
      await check('pipelines');
      expect(w.problems.join('\n')).toBe('');
    });

    it('the editor with a step selected and its preview', async () => {
      await w.page.click('[data-testid=pipeline-stores]');
      await w.page.click('[data-testid=step-3] .label');
      await expect
        .poll(() => w.page.textContent('[data-testid=preview] h3'), { timeout: 60_000 })
        .toContain('step 3');
      await w.page.locator('[data-testid=grid-after] .ag-row').first().waitFor();
      await check('editor');
      // A column's menu, opened from the keyboard: its items, group headings, disabled reasons.
      await w.page
        .locator('[data-testid=grid-after] .ag-header-cell:has(.col-menu-btn)')
        .first()
        .focus();
      await w.page.keyboard.press('Alt+ArrowDown');
      await w.page.getByRole('menu').waitFor();
      await check('column-menu');
      await w.page.keyboard.press('Escape');
      await expect.poll(() => w.page.getByRole('menu').count()).toBe(0);
      expect(w.problems.join('\n')).toBe('');
    });

    it('the graph', async () => {
      await w.page.getByRole('tab', { name: 'Graph' }).click();
      await w.page.locator('[data-testid=node-stores]').waitFor();
      await check('graph');
      expect(w.problems.join('\n')).toBe('');
    });

    it('a finished run', async () => {
      await w.page.getByRole('tab', { name: 'Runs' }).click();
      await w.page.locator('[data-testid=runs-table] tbody tr').first().click();
      await expect.poll(() => w.page.textContent('[data-testid=run-status]')).toBe('succeeded');
      await check('runs');
      expect(w.problems.join('\n')).toBe('');
    });

    it('the outputs', async () => {
      await w.page.getByRole('tab', { name: 'Outputs' }).click();
      await expect.poll(() => w.page.textContent('main')).toContain('stores');
      await check('outputs');
      expect(w.problems.join('\n')).toBe('');
    });

    it('each dialog: projects, shortcuts, connections, import', async () => {
      const dialog = w.page.getByRole('dialog');
      await w.page.getByRole('button', { name: /global-electronics/ }).click();
      await w.page.locator('[data-testid=recent-projects]').waitFor();
      await check('dialog-projects');
      await w.page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);

      await w.page.getByRole('button', { name: 'keyboard shortcuts' }).click();
      await w.page.locator('[data-testid=shortcuts]').waitFor();
      await check('dialog-shortcuts');
      await w.page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);

      await w.page.getByRole('button', { name: 'Connections…' }).click();
      await dialog.getByRole('button', { name: 'Add a connection' }).click();
      await check('dialog-connections');
      await w.page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);

      // A file new to the data folder (one already there would show the clash's choices
      // instead): the whole import card, settings and first rows.
      const file = join(tempDir(), 'Shops.csv');
      copyFileSync(join(w.dir, 'data', 'Stores.csv'), file);
      await w.page.setInputFiles('[data-testid=file-picker]', file);
      await expect.poll(() => dialog.textContent()).toContain('67 rows');
      await dialog.locator('[data-testid=import-grid] .ag-row').first().waitFor();
      await check('dialog-import');
      await w.page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      expect(w.problems.join('\n')).toBe('');
    });

    it('shows where the keyboard is, at 1024×700 too, and a dialog gives the focus back', async () => {
      await w.page.setViewportSize({ width: 1024, height: 700 });
      await w.page.getByRole('tab', { name: 'Editor' }).click();
      await w.page.click('[data-testid=step-2] .label');
      await w.page.keyboard.press('ArrowDown');
      const step = w.page.locator('[data-testid=step-3] .label');
      await expect.poll(() => step.evaluate((e) => e.matches(':focus'))).toBe(true);
      const ring = await step.evaluate((e) => {
        const s = e.ownerDocument.defaultView!.getComputedStyle(e);
        return `${s.outlineStyle} ${s.outlineWidth}`;
      });
      expect(ring).toBe('solid 2px');
      await check('1024-step-focus');
      await w.page.keyboard.press('?');
      await w.page.locator('[data-testid=shortcuts]').waitFor();
      await check('1024-dialog-shortcuts');
      await w.page.keyboard.press('Escape');
      await expect.poll(() => step.evaluate((e) => e.matches(':focus'))).toBe(true);
      expect(w.problems.join('\n')).toBe('');
    });
  });
}
