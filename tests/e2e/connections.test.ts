/**
 * The Connections dialog in Debian's Chromium against `sluice serve --allow-connections`'s
 * built renderer and this machine's PostgreSQL: add a connection, test it (the server's
 * version, then a clear error), edit it, send a run to it, remove it after a confirmation.
 * Light and dark both come from the colour variables.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { serve, type RunningServer } from '../../src-main/transports/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import { DATABASE_URL, query } from '../helpers/pg';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const KEY = 'e2e-connections-key';
const pg = new URL(DATABASE_URL);
const TABLE = `e2e_conn_${process.pid}`;

let browser: Browser;
let page: Page;
let server: RunningServer;
let service: SluiceService;
let home: string;
const pageErrors: string[] = [];

const saved = (): Record<string, unknown> =>
  (
    JSON.parse(readFileSync(join(home, 'connections.json'), 'utf8')) as {
      connections: Record<string, unknown>;
    }
  ).connections;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    throw new Error('the UI is not built: run npm run build first (npm test does)');
  mkdirSync(SHOTS, { recursive: true });
  home = tempDir();
  process.env.SLUICE_HOME = home;
  const dir = makeProject(
    {
      lite: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: sqlite, table: ${TABLE}, mode: full}\n`,
    },
    { name: 'conns-e2e', smallCsv: 'id,v\n1,a\n2,b\n3,c\n' },
  );
  service = await SluiceService.open(dir, { manageConnections: true });
  server = await serve(service, { port: 0, apiKey: KEY, staticDir: join(ROOT, 'out', 'renderer') });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/#key=${KEY}`);
  await page.waitForSelector('[data-testid=project-name]:text("conns-e2e")');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await server?.close();
  await query(`drop table if exists sluice."${TABLE}"`);
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

describe('the Connections dialog', () => {
  const dialog = () => page.getByRole('dialog', { name: 'connections' });

  it('adds a connection to the local server and tests it: the server answers its version', async () => {
    await page.getByRole('button', { name: 'Connections…' }).click();
    await expect.poll(() => dialog().textContent()).toContain('No saved connections yet');
    await dialog().getByRole('button', { name: 'Add a connection' }).click();
    const form = dialog().getByRole('form', { name: 'new connection' });
    await form.getByLabel('Name').fill('local');
    await form.getByLabel('Host').fill(pg.hostname);
    await form.getByLabel('Port').fill(pg.port || '5432');
    await form.getByLabel('Database').fill(pg.pathname.slice(1));
    await form.getByLabel('User').fill(decodeURIComponent(pg.username));
    // Served over HTTP there is no keychain: no password field to fill, and where to put it.
    const password = form.getByLabel('Password', { exact: true });
    expect(await password.isDisabled()).toBe(true);
    expect(await password.getAttribute('placeholder')).toContain('SLUICE_PASSWORD_');
    await form.getByRole('button', { name: 'Test connection' }).click();
    const status = form.getByRole('status');
    await expect.poll(() => status.textContent()).toMatch(/^Connected: PostgreSQL 1\d/);
    await page.screenshot({ path: join(SHOTS, 'connections-1-tested.png') });

    // A wrong port: the error says what is wrong, in words.
    await form.getByLabel('Port').fill('1');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => status.textContent())
      .toContain(`nothing is listening at ${pg.hostname}:1`);
    await form.getByLabel('Port').fill(pg.port || '5432');

    await form.getByRole('button', { name: 'Save' }).click();
    const list = dialog().getByTestId('connections-list');
    await expect.poll(() => list.textContent()).toContain('local');
    expect(saved()).toEqual({
      local: {
        host: pg.hostname,
        port: Number(pg.port || 5432),
        database: pg.pathname.slice(1),
        user: decodeURIComponent(pg.username),
        sslmode: 'disable',
      },
    });
  });

  it('edits it: the name stays, the details change', async () => {
    await dialog().getByRole('button', { name: 'edit local' }).click();
    const form = dialog().getByRole('form', { name: 'edit connection local' });
    expect(await form.getByLabel('Name').isDisabled()).toBe(true);
    expect(await form.getByLabel('Database').inputValue()).toBe(pg.pathname.slice(1));
    await form.getByLabel('Host').fill('localhost');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => form.getByRole('status').textContent())
      .toMatch(/^Connected: PostgreSQL/);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => dialog().getByTestId('connections-list').textContent())
      .toContain('localhost:');
    expect((saved().local as { host: string }).host).toBe('localhost');
  });

  it('is drawn from the colour variables in light and in dark', async () => {
    // Runs in the page (DOM types are not in the tests' type set).
    const bg = () =>
      dialog().evaluate(
        (el) =>
          (
            globalThis as unknown as {
              getComputedStyle(e: unknown): { backgroundColor: string };
            }
          ).getComputedStyle(el).backgroundColor,
      );
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await bg()).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await bg()).toBe('rgb(22, 24, 28)');
    await page.screenshot({ path: join(SHOTS, 'connections-2-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('a run sent to the saved connection loads its SQLite output into PostgreSQL', async () => {
    await dialog().getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'run options' }).click();
    await page.getByRole('menuitemradio', { name: 'Into local' }).click();
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect
      .poll(
        async () =>
          (
            await query<{ n: string }>(
              `select count(*) as n from information_schema.tables where table_schema = 'sluice' and table_name = $1`,
              [TABLE],
            )
          )[0].n,
        { timeout: 60_000 },
      )
      .toBe('1');
    await service.idle();
    const rows = await query<{ id: string }>(`select id from sluice."${TABLE}" order by id`);
    expect(rows.map((r) => String(r.id))).toEqual(['1', '2', '3']);
  });

  it('a run with "Steps in PostgreSQL" picked runs its steps on that server', async () => {
    const runs = () => service.handlers['runs.list']!({ page: 1, page_size: 1 });
    const before = (await runs()).total;
    await page.getByRole('button', { name: 'run options' }).click();
    await page.screenshot({ path: join(SHOTS, 'connections-run-options.png') });
    await page.getByRole('menuitemradio', { name: 'In PostgreSQL' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'run options' }).textContent())
      .toBe('in PostgreSQL → local ▾');
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(async () => (await runs()).total, { timeout: 60_000 }).toBe(before + 1);
    await service.idle();
    const { items } = await runs();
    expect(items[0].status).toBe('succeeded');
    const log = await service.handlers['logs.get']!({ run_id: items[0].id });
    expect(log.items.map((l) => l.message).join('\n')).toMatch(
      /lite: running on .* \(engine postgres\)/,
    );
    const rows = await query<{ id: string }>(`select id from sluice."${TABLE}" order by id`);
    expect(rows.map((r) => String(r.id))).toEqual(['1', '2', '3']);
    await page.getByRole('button', { name: 'run options' }).click();
    await page.getByRole('menuitemradio', { name: 'As each recipe says' }).click();
  });

  it('removes it after a confirmation', async () => {
    await page.getByRole('button', { name: 'Connections…' }).click();
    await dialog().getByRole('button', { name: 'remove local' }).click();
    const confirm = dialog().getByRole('group', { name: 'confirm removing local' });
    // "Keep" changes nothing.
    await confirm.getByRole('button', { name: 'Keep' }).click();
    expect(Object.keys(saved())).toEqual(['local']);
    await dialog().getByRole('button', { name: 'remove local' }).click();
    await confirm.getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(() => dialog().textContent()).toContain('No saved connections yet');
    expect(saved()).toEqual({});
    // The run target that named it is back to the recipes'.
    expect(await page.getByRole('button', { name: 'run options' }).textContent()).toBe('▾');
  });
});
