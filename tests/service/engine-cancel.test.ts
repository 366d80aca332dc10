/**
 * Cancelling a run whose steps run on the server (engine: postgres) stops the server's query
 * (pg_cancel_backend), not just the client: an abandoned statement would go on for as long as it
 * takes, holding a backend. The pipeline's `timeout` bounds each statement (statement_timeout),
 * so a cancel that did not reach the server could not keep it busy past that either.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { query } from '../helpers/pg';
import { makeProject } from '../helpers/project';
import { caller, type Call } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

process.env.SLUICE_HOME = tempDir();
let svc: SluiceService;
let call: Call;

// About a minute of server time that costs no CPU: 6,000 rows of 10 ms each (the sleep
// refers to g, so it runs for each row rather than once).
const SLOW =
  'select g from generate_series(1, 6000) g, lateral (select pg_sleep(0.01) where g > 0) s';

beforeAll(async () => {
  const dir = makeProject(
    {
      slow:
        `engine: postgres\ntimeout: 120\nsource:\n  postgres: {query: "${SLOW}"}\n` +
        `steps:\n  - step: filter\n    where: g > 10\noutputs:\n  - {kind: csv, path: out/slow.csv}\n`,
      bounded:
        `engine: postgres\ntimeout: 2\nsource:\n  postgres: {query: "${SLOW}"}\n` +
        `steps:\n  - step: filter\n    where: g > 10\noutputs:\n  - {kind: csv, path: out/bounded.csv}\n`,
    },
    { name: 'engine_cancel', smallCsv: 'a\n1\n' },
  );
  svc = await SluiceService.open(dir, {});
  call = caller(svc);
}, 60_000);

afterAll(() => svc?.close());

/** The server's backends of a run's engine sessions (application_name carries the run). */
const backends = (runId: string) =>
  query<{ pid: number; state: string; query: string }>(
    `SELECT pid, state, query FROM pg_stat_activity WHERE application_name LIKE $1`,
    [`sluice ${runId} %`],
  );

describe('cancelling a run on the server', () => {
  it('cancels the running statement and leaves no backend behind', async () => {
    const { run_id } = await call('runs.start', { pipelines: ['slow'], only: true });
    // The steps' statement is running on the server.
    await vi.waitFor(
      async () => {
        const b = await backends(run_id);
        expect(b.some((x) => x.state === 'active' && x.query.includes('sluice_out'))).toBe(true);
      },
      { timeout: 60_000, interval: 100 },
    );
    const started = performance.now();
    expect((await call('runs.cancel', { run_id })).cancelled).toBe(true);
    await svc.idle();
    // Well before the minute the statement would take.
    expect(performance.now() - started).toBeLessThan(30_000);
    const run = await call('runs.get', { run_id });
    expect(run.run.status).toBe('cancelled');
    expect(run.tasks[0].status).toBe('cancelled');
    await vi.waitFor(async () => expect(await backends(run_id)).toEqual([]), {
      timeout: 10_000,
      interval: 100,
    });
  }, 120_000);

  it("stops the server's statement at the pipeline's timeout", async () => {
    const started = performance.now();
    const { run_id } = await call('runs.start', { pipelines: ['bounded'], only: true });
    await svc.idle();
    expect(performance.now() - started).toBeLessThan(30_000);
    const run = await call('runs.get', { run_id });
    expect(run.tasks[0].status).toBe('failed');
    expect(run.tasks[0].error).toMatch(/timed out|statement timeout/);
    expect(await backends(run_id)).toEqual([]);
  }, 120_000);
});
