/**
 * The built window under its own Content-Security-Policy (no 'unsafe-eval'): loading it and
 * checking a recipe (zod parses in the renderer) reports no policy violation. zod's probe
 * for `new Function` used to log one on every load.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
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
  it('loads without a policy violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|unsafe-eval/i.test(m.text()))
        violations.push(m.text());
    });
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
    const events = await page.evaluate(
      () => (globalThis as unknown as { __violations: string[] }).__violations,
    );
    expect(violations).toEqual([]);
    expect(events).toEqual([]);
    await page.close();
  });
});
