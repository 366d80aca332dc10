/**
 * A run's plan is part of its record: every pipeline it will run is listed from the moment it
 * starts, the ones not begun as queued, whether the run was started through the service or by
 * `sluice run` in another process. The first pipeline loads into PostgreSQL and waits there on
 * the lock this test holds, so the others wait for it (one worker) as long as the test says.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src-shared/api/contract';
import { SluiceService } from '../../src-main/service/api-service';
import { caller, type Call } from '../helpers/service';
import { SLUICE, sluiceIn } from '../helpers/cli';
import { DATABASE_URL, holdTableLock, testSchema } from '../helpers/pg';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

process.env.SLUICE_HOME = tempDir();
const SCHEMA = testSchema();
const PLAN = ['a_gate', 'b_after', 'c_other'];
let dir: string;
let svc: SluiceService;
let call: Call;
const events: ApiEvent[] = [];

beforeAll(async () => {
  dir = makeProject(
    {
      a_gate: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: csv, path: out/a.csv}\n  - {kind: postgres, schema: ${SCHEMA}, table: gated, mode: full}\n`,
      b_after: `source: {pipeline: a_gate}\nsteps: []\noutputs:\n  - {kind: csv, path: out/b.csv}\n`,
      c_other: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: csv, path: out/c.csv}\n`,
    },
    { name: 'plans', smallCsv: 'id,v\n1,a\n2,b\n', settings: 'workers: 1\n' },
  );
  svc = await SluiceService.open(dir, {});
  svc.subscribe((e) => events.push(e));
  call = caller(svc);
}, 120_000);

afterAll(() => svc?.close());

/** The first event from now on that `match` accepts. */
function next(match: (e: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = svc.subscribe((e) => {
      if (match(e)) {
        off();
        resolve(e);
      }
    });
  });
}

/** `sluice run` of the project in another process, as from a terminal: its exit and output. */
function runInTerminal(): { exited: Promise<number | null>; stdout(): string; stderr(): string } {
  const cli = spawn(process.execPath, [SLUICE, 'run', dir], {
    env: { ...process.env, DATABASE_URL },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
  cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
  return { exited, stdout: () => out, stderr: () => err };
}

/** Holds the lock every load into the gated table takes: a_gate waits, running, until release. */
const holdGate = () => holdTableLock(SCHEMA, 'gated');

describe("a run's plan", () => {
  it('a run started through the service lists every planned pipeline, queued until it begins', async () => {
    const gate = await holdGate();
    const started = next((e) => e.type === 'run.state' && e.status === 'running');
    const blocked = next((e) => e.type === 'log' && /waiting for another load/.test(e.message));
    const { run_id } = await call('runs.start', {});
    expect(await started).toMatchObject({ run_id, planned: PLAN });
    await blocked;

    const waiting = await call('runs.get', { run_id });
    expect(waiting.run.planned).toEqual(PLAN);
    expect(waiting.tasks.map((t) => [t.pipeline, t.status])).toEqual([['a_gate', 'running']]);
    expect(waiting.queued).toEqual(['b_after', 'c_other']);
    // The command line's run detail says the same.
    const shown = await sluiceIn(['runs', run_id, '--project', dir]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/a_gate\s+running/);
    expect(shown.stdout).toMatch(/b_after\s+queued/);
    expect(shown.stdout).toMatch(/c_other\s+queued/);

    const ended = next((e) => e.type === 'run.state' && e.run_id === run_id);
    await gate.release();
    const end = await ended;
    const log = await call('logs.get', { run_id });
    expect(end, log.items.map((l) => l.message).join('\n')).toMatchObject({ status: 'succeeded' });
    const done = await call('runs.get', { run_id });
    expect(done.queued).toEqual([]);
    expect(done.tasks.map((t) => t.pipeline).sort()).toEqual(PLAN);
  }, 120_000);

  it('a run started by sluice run in another process is told to listeners: plan, states, end', async () => {
    const gate = await holdGate();
    const from = events.length;
    const started = next((e) => e.type === 'run.state' && e.status === 'running');
    const gateRuns = next(
      (e) => e.type === 'task.state' && e.pipeline === 'a_gate' && e.status === 'running',
    );
    const cli = runInTerminal();

    const begun = await started;
    const runId = (begun as { run_id: string }).run_id;
    expect(begun).toMatchObject({ planned: PLAN });
    await gateRuns;
    const waiting = await call('runs.get', { run_id: runId });
    expect(waiting.run.trigger).toBe('manual');
    expect(waiting.queued).toEqual(['b_after', 'c_other']);
    // The service did not start it: it tells it only from the store.
    expect(svc.active.has(runId)).toBe(false);

    const ended = next((e) => e.type === 'run.state' && e.run_id === runId);
    await gate.release();
    expect(await ended).toMatchObject({ status: 'succeeded' });
    expect(await cli.exited, cli.stderr()).toBe(0);
    const told = events
      .slice(from)
      .filter((e) => e.type === 'task.state' && e.run_id === runId)
      .map((e) => (e as { pipeline: string }).pipeline);
    // Each pipeline is told as it begins or ends; b_after only after a_gate.
    expect(new Set(told)).toEqual(new Set(PLAN));
    expect(told.indexOf('a_gate')).toBeLessThan(told.indexOf('b_after'));
  }, 120_000);

  it('runs.cancel stops a sluice run of another process through the store: the rest never begin', async () => {
    const gate = await holdGate();
    const before = statSync(join(dir, 'out', 'c.csv')).mtimeMs;
    const gateRuns = next(
      (e) => e.type === 'task.state' && e.pipeline === 'a_gate' && e.status === 'running',
    );
    const cli = runInTerminal();
    const runId = ((await gateRuns) as { run_id: string }).run_id;
    const ended = next((e) => e.type === 'run.state' && e.run_id === runId);
    const cancelAt = Date.now();

    // The gate stays held: only the cancel can end a_gate's wait.
    expect(await call('runs.cancel', { run_id: runId })).toEqual({ cancelled: true });
    expect(await ended).toMatchObject({ status: 'cancelled' });
    expect(await cli.exited, cli.stdout()).toBe(1);
    expect(cli.stdout()).toMatch(/: cancelled/);
    const run = await call('runs.get', { run_id: runId });
    // The waiting ones are recorded cancelled without running: c_other's output is untouched.
    expect(run.tasks.map((t) => [t.pipeline, t.status])).toEqual(PLAN.map((p) => [p, 'cancelled']));
    expect(statSync(join(dir, 'out', 'c.csv')).mtimeMs).toBe(before);
    // a_gate's time spans its wait on the lock, up to the cancel (its bar in the window).
    const gateTask = run.tasks.find((t) => t.pipeline === 'a_gate')!;
    expect(Date.parse(gateTask.started_at)).toBeLessThan(cancelAt);
    expect(Date.parse(gateTask.finished_at!)).toBeGreaterThanOrEqual(cancelAt);
    const log = await call('logs.get', { run_id: runId });
    expect(log.items.map((l) => l.message)).toContain(
      'cancel asked by another process (through the run store)',
    );
    // Asked again, an ended run has nothing to cancel.
    expect(await call('runs.cancel', { run_id: runId })).toEqual({ cancelled: false });
    await gate.release();
  }, 120_000);
});
