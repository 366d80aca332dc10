/**
 * The built window under its own Content-Security-Policy (no 'unsafe-eval'): loading it and
 * checking a recipe (zod parses in the renderer) reports no policy violation. zod's probe
 * for `new Function` used to log one on every load. The HTTP server sends the same policy as a
 * header (with frame-ancestors), and the grid (ag-grid) and graph (React Flow) views, which
 * style themselves at run time, render under it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { UI_CSP_DIRECTIVES, UI_CSP_HEADER } from '../../src-main/transports/csp';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import { tempDir } from '../helpers/tmp';

const ROOT = join(__dirname, '..', '..');
const KEY = 'csp-key';
let browser: Browser;
let server: RunningServer;
let service: SluiceService;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    throw new Error('the UI is not built: run npm run build first (npm test does)');
  const dir = tempDir();
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'sluice.yaml'), 'name: csp\n');
  writeFileSync(join(dir, 'a.csv'), 'x\n1\n');
  writeFileSync(
    join(dir, 'pipelines', 'a.yaml'),
    'name: a\nsource: {path: a.csv}\nsteps:\n  - step: trim\n',
  );
  process.env.SLUICE_HOME = tempDir();
  service = await SluiceService.open(dir, { storePath: join(dir, 'store.db') });
  server = await serve(service, { port: 0, apiKey: KEY, staticDir: join(ROOT, 'out', 'renderer') });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await server?.close();
});

describe('the window and its Content-Security-Policy', () => {
  it('the built index.html carries the strict policy the server sends as a header', async () => {
    const html = readFileSync(join(ROOT, 'out', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
    expect(meta?.split(/;\s*/)).toEqual([...UI_CSP_DIRECTIVES]);
    expect(meta).not.toMatch(/unsafe-eval|\*/);
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toBe(UI_CSP_HEADER);
    expect(UI_CSP_HEADER).toContain("frame-ancestors 'none'");
    const asset = /src="\.?(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${server.url}${asset}`);
    expect(js.headers.get('content-security-policy')).toBe(UI_CSP_HEADER);
  });

  it('loads, shows the grid and the graph, without a policy violation or any console error', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(String(e)));
    // Violations also arrive as DOM events; count those that happen before the page settles.
    await page.addInitScript(() => {
      const w = globalThis as unknown as {
        addEventListener(t: string, f: (e: { violatedDirective: string }) => void): void;
        __violations: string[];
      };
      w.__violations = [];
      w.addEventListener('securitypolicyviolation', (e) =>
        w.__violations.push(e.violatedDirective),
      );
    });
    await page.goto(`${server.url}/#key=${KEY}`);
    await expect.poll(() => page.textContent('[data-testid=project-name]')).toBe('csp');
    await page.waitForSelector('[data-testid=pipelines-table]');
    await page.click('[data-testid=pipeline-a]');
    await page.waitForSelector('.ag-root', { timeout: 60_000 });
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.waitForSelector('[data-testid=node-a]');
    const events = await page.evaluate(
      () => (globalThis as unknown as { __violations: string[] }).__violations,
    );
    expect(violations).toEqual([]);
    expect(events).toEqual([]);
    await page.close();
  });
});
