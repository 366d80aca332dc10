/**
 * The screenshots of the README's tour, taken in real Chromium against `sluice serve` on the
 * example project with generated sample data. Needs the built UI (`npm run build`).
 *
 *   npm run screenshots            # writes docs/images/*.png
 *
 * Everything it makes (project copy, run store, Sluice's own folder) lives in a temporary
 * folder that is removed at the end; only the PNGs are kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { writeSampleData } from '../src-main/demo/sample-data';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMAGES = join(ROOT, 'docs', 'images');
const KEY = 'screenshots';
const VIEWPORT = { width: 1280, height: 800 };
/** Long enough for a busy two-core machine to run the whole example project. */
const TIMEOUT = 180_000;

/** Starts `sluice serve` on a free port; resolves with the address it prints. */
function startServer(project: string, home: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(
    process.execPath,
    [
      join(ROOT, 'src-main', 'cli', 'sluice.mjs'),
      'serve',
      project,
      '--port',
      '0',
      '--store',
      join(project, 'store.db'),
    ],
    {
      env: { ...process.env, SLUICE_HOME: home, SLUICE_API_KEY: KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const seen = (d: Buffer): void => {
      out += d.toString();
      const m = /open:\s+(http:\/\/\S+?)\/#key=/.exec(out);
      if (m) resolve({ url: m[1], proc });
    };
    proc.stdout!.on('data', seen);
    proc.stderr!.on('data', seen);
    proc.on('exit', (code) => reject(new Error(`sluice serve exited (${code}):\n${out}`)));
  });
}

/** Waits until every node of the graph shows the status `succeeded`. */
async function allSucceeded(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      // Runs in the page (the DOM types are not in this script's type set).
      type Node = { getAttribute(name: string): string | null };
      const doc = (
        globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<Node> } }
      ).document;
      const nodes = Array.from(doc.querySelectorAll('[data-testid^=node-]'));
      return nodes.length > 0 && nodes.every((n) => n.getAttribute('data-status') === 'succeeded');
    },
    undefined,
    { timeout: TIMEOUT, polling: 500 },
  );
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    throw new Error('the UI is not built: run npm run build first');
  const work = mkdtempSync(join(tmpdir(), 'sluice-shots-'));
  const project = join(work, 'global-electronics');
  cpSync(join(ROOT, 'config', 'examples', 'global-electronics'), project, { recursive: true });
  await writeSampleData(join(project, 'data'));
  const home = join(work, 'home');
  mkdirSync(home);
  const server = await startServer(project, home);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const shots: string[] = [];
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const shot = async (name: string): Promise<void> => {
      const path = join(IMAGES, `${name}.png`);
      await page.screenshot({ path });
      shots.push(path);
    };
    mkdirSync(IMAGES, { recursive: true });
    await page.goto(`${server.url}/#key=${KEY}`);

    // A step of the sales recipe with its before/after preview over every row.
    await page.waitForSelector('[data-testid=pipelines-table] tbody tr');
    await page.click('[data-testid=pipeline-sales]');
    await page.waitForSelector('[data-testid=step-3]');
    await page.click('[data-testid=step-3] .label');
    await page.waitForSelector('[data-testid=grid-after] .cell-changed', { timeout: TIMEOUT });
    await shot('editor-preview');

    // The graph after Run all: every pipeline green.
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.waitForSelector('[data-testid=node-sales]');
    await page.getByRole('button', { name: 'Run all' }).first().click();
    await page.getByRole('tab', { name: 'Graph' }).click();
    await allSucceeded(page);
    await shot('graph');

    // The project's pipelines with their last run.
    await page.getByRole('tab', { name: 'Pipelines' }).click();
    await page.waitForSelector('[data-testid=pipelines-table] tbody tr');
    await shot('pipelines');

    // The run: its tasks as a timeline and its log.
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.locator('[data-testid=runs-table] tbody tr').first().click();
    await page
      .locator('[data-testid=log]', { hasText: 'run succeeded' })
      .waitFor({ timeout: TIMEOUT });
    await shot('run');

    // The outputs of the run: the reports by description, one open in the grid.
    await page.getByRole('tab', { name: 'Outputs' }).click();
    await page.getByTestId('reports-section').getByRole('button').first().waitFor();
    await page
      .getByRole('button', { name: 'The 50 products sold in the largest quantities' })
      .click();
    await page.locator('[data-testid=output-grid] .ag-row').first().waitFor({ timeout: TIMEOUT });
    await shot('outputs');

    // The run's report as a person opens it: the HTML page, in a tab of its own.
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page
        .getByTestId('outputs-view')
        .getByRole('group', { name: 'Run report' })
        .getByRole('button', { name: 'HTML' })
        .click(),
    ]);
    await tab.setViewportSize(VIEWPORT);
    await tab.locator('section.pipeline').first().waitFor({ timeout: TIMEOUT });
    await tab.evaluate("document.getElementById('p-sales').scrollIntoView()");
    const path = join(IMAGES, 'report.png');
    await tab.screenshot({ path });
    shots.push(path);

    if (errors.length > 0) throw new Error(`the page threw:\n${errors.join('\n')}`);
  } finally {
    await browser.close();
    server.proc.removeAllListeners('exit');
    const closed = new Promise((r) => server.proc.once('close', r));
    server.proc.kill('SIGINT');
    await closed;
    rmSync(work, { recursive: true, force: true });
  }
  for (const p of shots)
    process.stdout.write(`${p.slice(ROOT.length)}  ${Math.round(statSync(p).size / 1024)} KB\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
