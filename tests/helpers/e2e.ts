/**
 * One window for an e2e test: a project (the example over a copy of the real retail data, or a
 * folder the test made), `sluice serve`'s HTTP server with the built renderer, and Debian's
 * Chromium on it. Page errors and console errors are collected in `problems`: a test's
 * afterEach expects none.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SluiceService } from '../../src-main/service/api-service';
import { rememberProject } from '../../src-main/service/recent';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { SHARED, tempDir } from './tmp';

const ROOT = join(__dirname, '..', '..');
export const SHOTS = join(ROOT, 'test-output', 'screenshots');
/** The server's API key; a test that opens another tab goes to `${server.url}/#key=${E2E_KEY}`. */
export const E2E_KEY = 'e2e-window-key';
const KEY = E2E_KEY;
const TABLES = ['Customers.csv', 'Products.csv', 'Stores.csv', 'Exchange_Rates.csv', 'Sales.csv'];

export interface Window {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  server: RunningServer;
  service: SluiceService;
  /** The project's folder. */
  dir: string;
  /** Page errors and console errors since the window opened (or since the test emptied it). */
  problems: string[];
  /** Time from navigation to the project's pipeline list on screen, in ms. */
  firstListMs: number;
  /** Saves a screenshot as test-output/screenshots/NAME.png. */
  shot(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** The example project (config/examples/global-electronics) with a copy of the real data. */
export function exampleProject(): string {
  const dir = tempDir();
  cpSync(join(ROOT, 'config', 'examples', 'global-electronics'), dir, { recursive: true });
  // A copy: the UI's uploads and edits must never write into ../shared.
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  for (const f of TABLES) cpSync(join(SHARED, f), join(data, f));
  return dir;
}

/**
 * Opens the window on `dir` (default: a fresh copy of the example project) at the viewport
 * given, and waits until the pipeline list is on screen.
 */
export async function openWindow(
  opts: {
    dir?: string;
    width?: number;
    height?: number;
    colorScheme?: 'light' | 'dark';
    /**
     * Lets the test add a script to the page (axe-core in tests/e2e/accessibility.test.ts),
     * which the window's own policy forbids. Every other test runs under the policy.
     */
    bypassCSP?: boolean;
  } = {},
): Promise<Window> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    throw new Error('the UI is not built: run npm run build first (npm test does)');
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  mkdirSync(SHOTS, { recursive: true });
  const dir = opts.dir ?? exampleProject();
  // Recent projects live in Sluice's own folder: a throwaway one, as `serve` would fill it.
  process.env.SLUICE_HOME = tempDir();
  rememberProject(dir);
  const service = await SluiceService.open(dir, {
    storePath: join(dir, 'store.db'),
    allow: [tmpdir()],
  });
  const server = await serve(service, {
    port: 0,
    apiKey: KEY,
    staticDir: join(ROOT, 'out', 'renderer'),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: true,
    bypassCSP: opts.bypassCSP ?? false,
  });
  const problems: string[] = [];
  const watch = (p: Page): void => {
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
  };
  context.on('page', watch);
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(`${server.url}/#key=${KEY}`);
  await page.locator('[data-testid^="pipeline-"]').first().waitFor({ timeout: 60_000 });
  const firstListMs = performance.now() - started;
  return {
    page,
    context,
    browser,
    server,
    service,
    dir,
    problems,
    firstListMs,
    shot: (name) => page.screenshot({ path: join(SHOTS, `${name}.png`) }),
    async close() {
      await browser.close();
      await service.close();
      await server.close();
    },
  };
}

/**
 * The recipe text the window holds for `pipeline`: its unsaved draft (the editor keeps one in
 * localStorage while the text differs from the saved file), else the saved file. CodeMirror
 * draws only the lines in view, so its DOM is no place to read a long recipe from.
 */
export async function recipeText(w: Window, pipeline: string): Promise<string> {
  const draft = await w.page.evaluate((name) => {
    // In the page: its localStorage (this file is type-checked for Node, without the DOM's types).
    const localStorage = (
      globalThis as unknown as {
        localStorage: {
          length: number;
          key(i: number): string | null;
          getItem(k: string): string | null;
        };
      }
    ).localStorage;
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i) ?? '';
      if (k.startsWith('sluice.draft:') && k.endsWith(`:${name}`)) return localStorage.getItem(k);
    }
    return null;
  }, pipeline);
  return draft ?? readFileSync(join(w.dir, 'pipelines', `${pipeline}.yaml`), 'utf8');
}
