/**
 * What the window is told after a cancel and a failure, through the real service and run store:
 * a user's cancel is logged as info (it is no error), the project's pipelines keep the last
 * finished run's status and rows where the cancelled run wrote nothing, and a pipeline that
 * failed wrote 0 rows whatever it read.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import { SluiceService } from '../../src-main/service/api-service';
import { caller, type Call } from '../helpers/service';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

process.env.SLUICE_HOME = tempDir();
let svc: SluiceService;
let call: Call;

beforeAll(async () => {
  const dir = makeProject(
    {
      big: `source: {path: big.csv}\nsteps: []\noutputs:\n  - {kind: csv, path: out/big.csv}\n`,
      after: `source: {pipeline: big}\nsteps: []\noutputs:\n  - {kind: csv, path: out/after.csv}\n`,
      // Every row of small.csv fails the rule: the pipeline reads 3 rows and must write none.
      picky:
        `source: {path: small.csv}\nmax_reject_rate: 0.5\nsteps:\n` +
        `  - step: validate\n    rules:\n      - {column: v, allowed: [z]}\n` +
        `outputs:\n  - {kind: csv, path: out/picky.csv}\n`,
    },
    { name: 'books', smallCsv: 'id,v\n1,a\n2,b\n3,c\n', settings: 'workers: 1\n' },
  );
  await writeBenchSales(join(dir, 'big.csv'), 150_000);
  svc = await SluiceService.open(dir, {});
  call = caller(svc);
}, 120_000);

afterAll(() => svc?.close());

const pipelineOf = async (name: string) =>
  (await call('project.get', {})).pipelines.find((p) => p.name === name)!;

describe('after a cancel and a failure', () => {
  it('a failed pipeline shows 0 rows written, not the rows it read', async () => {
    const { run_id } = await call('runs.start', { pipelines: ['picky'], only: true });
    await svc.idle();
    const run = await call('runs.get', { run_id });
    const task = run.tasks.find((t) => t.pipeline === 'picky')!;
    expect(task.status).toBe('failed');
    expect(task.rows_in).toBe(3);
    expect(task.rows_out).toBe(0);
    expect(run.run.rows_out).toBe(0);
    expect((await pipelineOf('picky')).last_run).toMatchObject({ status: 'failed', rows_out: 0 });
  }, 120_000);

  it("a user's cancel is logged as info, and the last finished results stay", async () => {
    const first = await call('runs.start', { pipelines: ['big', 'after'], only: true });
    await svc.idle();
    expect((await call('runs.get', { run_id: first.run_id })).run.status).toBe('succeeded');
    const written = (await pipelineOf('big')).last_run!.rows_out;
    expect(written).toBeGreaterThanOrEqual(150_000);

    // Cancel as soon as the big pipeline has read some rows: "after" never starts.
    const cancelled = new Promise<string>((resolve) => {
      const off = svc.subscribe((e) => {
        if (e.type === 'run.progress' && e.pipeline === 'big' && e.rows > 0) {
          off();
          void call('runs.cancel', { run_id: e.run_id }).then(() => resolve(e.run_id));
        }
      });
    });
    await call('runs.start', { pipelines: ['big', 'after'], only: true });
    const runId = await cancelled;
    await svc.idle();
    const run = await call('runs.get', { run_id: runId });
    expect(run.run.status).toBe('cancelled');

    const logs = (await call('logs.get', { run_id: runId })).items;
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'run cancelled' }),
    );
    expect(logs.some((l) => l.level === 'info' && /big was cancelled/.test(l.message))).toBe(true);

    // The outputs still hold the first run's rows: the list says so.
    for (const name of ['big', 'after'])
      expect((await pipelineOf(name)).last_run).toMatchObject({
        run_id: first.run_id,
        status: 'succeeded',
        rows_out: written,
      });
  }, 180_000);
});
