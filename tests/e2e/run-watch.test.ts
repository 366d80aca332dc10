/**
 * Runs the window did not start, watched in Chromium: one started by `sluice run` in another
 * process, one started over the HTTP API by another client. Each one's waiting pipelines are
 * queued in the graph and the run's timeline from the moment it starts. The first pipeline
 * loads into PostgreSQL and waits there on a lock the test holds, so the rest wait (one
 * worker) for as long as the test needs to look.
 */
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2E_KEY, openWindow, type Window } from '../helpers/e2e';
import { SLUICE } from '../helpers/cli';
import { DATABASE_URL, holdTableLock, testSchema } from '../helpers/pg';
import { makeProject } from '../helpers/project';

const LONG = { timeout: 120_000, interval: 250 };
const SCHEMA = testSchema();
let win: Window;
let page: Page;

const nodeStatus = (name: string): Promise<string | null> =>
  page.getByTestId(`node-${name}`).getAttribute('data-status');

/** What a failed test leaves behind (a held lock, a running CLI), undone before the next. */
const cleanups: (() => unknown)[] = [];

/** Holds the lock every load into the gated table takes: a_gate waits, running, until release. */
async function holdGate() {
  const gate = await holdTableLock(SCHEMA, 'gated');
  cleanups.push(() => gate.release());
  return gate;
}

beforeAll(async () => {
  const dir = makeProject(
    {
      a_gate:
        `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: csv, path: out/a.csv}\n` +
        `  - {kind: postgres, schema: ${SCHEMA}, table: gated, mode: full}\n`,
      b_after: `source: {pipeline: a_gate}\nsteps: []\noutputs:\n  - {kind: csv, path: out/b.csv}\n`,
      c_other: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: csv, path: out/c.csv}\n`,
    },
    { name: 'watched', smallCsv: 'id,v\n1,a\n2,b\n', settings: 'workers: 1\n' },
  );
  win = await openWindow({ dir });
  page = win.page;
}, 120_000);

afterAll(() => win?.close());
afterEach(async () => {
  for (const undo of cleanups.splice(0)) await undo();
  expect(win.problems).toEqual([]);
});

describe('runs started elsewhere, in the window', () => {
  it('a run of sluice run in a terminal: its waiting pipelines are queued, then it ends', async () => {
    const gate = await holdGate();
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByTestId('node-a_gate').waitFor();
    const cli = spawn(process.execPath, [SLUICE, 'run', win.dir], {
      env: { ...process.env, DATABASE_URL },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    cleanups.push(() => cli.exitCode === null && cli.kill());
    await expect.poll(() => nodeStatus('a_gate'), LONG).toBe('running');
    expect(await nodeStatus('b_after')).toBe('queued');
    expect(await nodeStatus('c_other')).toBe('queued');
    await win.shot('watch-cli-run-graph');

    // The run's page: the pipeline begun on the timeline, the other two waiting.
    await page.getByRole('tab', { name: 'Runs' }).click();
    const row = page.getByTestId('runs-table').locator('tbody tr').first();
    await expect.poll(() => row.textContent(), LONG).toContain('1 of 3 begun');
    await row.click();
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('running');
    await expect
      .poll(() => page.getByTestId('task-b_after').textContent())
      .toMatch(/b_after\s*queued/);
    expect(await page.getByTestId('task-c_other').textContent()).toMatch(/c_other\s*queued/);
    await win.shot('watch-cli-run-timeline');

    await gate.release();
    expect(await exited).toBe(0);
    await expect.poll(() => page.getByTestId('run-status').textContent(), LONG).toBe('succeeded');
    expect(await page.getByTestId('task-b_after').textContent()).not.toContain('queued');
    await page.getByRole('tab', { name: 'Graph' }).click();
    for (const name of ['a_gate', 'b_after', 'c_other'])
      await expect.poll(() => nodeStatus(name), LONG).toBe('succeeded');
  }, 240_000);

  it('a run started over the HTTP API by another client: queued the same way', async () => {
    const gate = await holdGate();
    await page.getByRole('tab', { name: 'Graph' }).click();
    const res = await fetch(`${win.server.url}/api/runs`, {
      method: 'POST',
      headers: { 'X-API-Key': E2E_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ pipelines: ['a_gate'] }),
    });
    expect(res.status).toBe(200);
    const { run_id } = (await res.json()) as { run_id: string };
    // a_gate and what its success triggers: c_other is not in this run, its last result stays.
    await expect.poll(() => nodeStatus('b_after'), LONG).toBe('queued');
    await expect.poll(() => nodeStatus('a_gate'), LONG).toBe('running');
    expect(await nodeStatus('c_other')).toBe('succeeded');
    await win.shot('watch-api-run-graph');
    await gate.release();
    await expect.poll(() => nodeStatus('b_after'), LONG).toBe('succeeded');
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByTestId('runs-table').locator('tr', { hasText: run_id }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), LONG).toBe('succeeded');
  }, 240_000);

  it("Cancel in the window stops a terminal's sluice run held on a lock", async () => {
    await holdGate();
    // The Runs page is open before the run starts: its row appears and counts as it goes.
    await page.getByRole('tab', { name: 'Runs' }).click();
    const cli = spawn(process.execPath, [SLUICE, 'run', win.dir], {
      env: { ...process.env, DATABASE_URL },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    cli.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    cleanups.push(() => cli.exitCode === null && cli.kill());
    const row = page.getByTestId('runs-table').locator('tbody tr').first();
    await expect.poll(() => row.textContent(), LONG).toContain('1 of 3 begun');
    await row.click();
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('running');
    // The gate is never released: only the cancel ends the wait.
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await exited).toBe(1);
    expect(out).toMatch(/: cancelled/);
    await expect.poll(() => page.getByTestId('run-status').textContent(), LONG).toBe('cancelled');
    expect(await page.locator('.error').allTextContents()).toEqual([]);
    await win.shot('watch-cli-run-cancelled');
  }, 240_000);
});
