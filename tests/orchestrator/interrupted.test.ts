/**
 * A run whose process was killed (SIGKILL) is found interrupted by the next command or server,
 * can be resumed, and the scratch files it left are removed by the next run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import { SluiceService } from '../../src-main/service/api-service';
import { openStore } from '../../src-main/store/sqlite-store';
import type { RunReport } from '../../src-shared/recipe/result';
import { SLUICE, sluice } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** Polls `check` until it returns a value (the child's files and rows are the events). */
async function until<T>(check: () => T | null | undefined | false, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - started > 45_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once('close', (code) => r(code)));

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function bigProject(): Promise<{ dir: string; tmp: string; env: Record<string, string> }> {
  const dir = tempDir();
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  mkdirSync(join(dir, 'pipelines'));
  // Large enough that the CSV output is still being written when the SQLite load begins.
  await writeBenchSales(join(dir, 'sales.csv'), 400_000);
  writeFileSync(join(dir, 'sluice.yaml'), 'name: k\nstore: store.db\nworkers: 2\n');
  writeFileSync(
    join(dir, 'pipelines', 'c.yaml'),
    'name: c\nsource: {path: sales.csv}\noutputs:\n  - {kind: csv, path: out/c.csv}\n',
  );
  writeFileSync(
    join(dir, 'pipelines', 's.yaml'),
    'name: s\nsource: {path: sales.csv}\noutputs:\n  - {kind: sqlite, path: out/k.sqlite, table: sales, mode: full}\n',
  );
  // The child's scratch databases go to a folder of this test alone.
  return { dir, tmp, env: { TMPDIR: tmp } };
}

const stageFiles = (tmp: string, pid: number): string[] =>
  readdirSync(tmp).filter((f) => f.startsWith(`sluice-stage-${pid}-`));
const csvTemps = (dir: string, pid: number): string[] =>
  existsSync(join(dir, 'out'))
    ? readdirSync(join(dir, 'out')).filter((f) => f.startsWith(`.c.csv.${pid}.`))
    : [];

describe('a killed run', () => {
  it('is interrupted for every command and the API, resumes, and its scratch files go', async () => {
    const { dir, tmp, env } = await bigProject();
    const store = join(dir, 'store.db');
    const child = spawn(process.execPath, [SLUICE, 'run', dir], {
      stdio: 'ignore',
      env: { ...process.env, ...env },
    });
    children.push(child);
    const pid = child.pid!;
    // Kill it once both outputs are being written: the CSV's temporary file and the SQLite
    // load's scratch database exist.
    await until(
      () => csvTemps(dir, pid).length > 0 && stageFiles(tmp, pid).length > 0,
      'both outputs to be written',
    );
    // A follower started while the run is alive must end once the run is found dead.
    const follower = spawn(
      process.execPath,
      [SLUICE, 'logs', '--follow', '--store', store, await runIdOf(store)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
    );
    children.push(follower);
    let followErr = '';
    follower.stderr.on('data', (d: Buffer) => (followErr += d.toString()));
    child.kill('SIGKILL');
    await exited(child);

    const runs = sluice(['runs', '--store', store, '--json'], env);
    expect(runs.code).toBe(0);
    const run = JSON.parse(runs.stdout).items[0] as { id: string; status: string };
    expect(run.status).toBe('interrupted');
    expect(await exited(follower)).toBe(0);
    expect(followErr).toContain(`run ${run.id} interrupted`);

    // The log says why; the tasks that were running are interrupted too.
    const logs = sluice(['logs', run.id, '--store', store], env).stdout;
    expect(logs).toMatch(new RegExp(`process ${pid} on ${hostname()} is gone`));
    const s = openStore(store);
    const got = s.getRun(run.id)!;
    s.close();
    expect(got.run.finishedAt).not.toBeNull();
    expect(got.tasks.map((t) => t.status)).toEqual(['interrupted', 'interrupted']);

    // The API and metrics agree.
    const svc = await SluiceService.open(dir, { storePath: store });
    try {
      const viaApi = await svc.handlers['runs.get']({ run_id: run.id });
      expect(viaApi.run.status).toBe('interrupted');
      expect(viaApi.tasks.map((t) => t.status)).toEqual(['interrupted', 'interrupted']);
      expect(await svc.handlers['runs.cancel']({ run_id: run.id })).toEqual({ cancelled: false });
      const m = await svc.handlers['metrics.summary']({});
      expect(m).toMatchObject({ runs: 1, interrupted: 1, succeeded: 0 });
    } finally {
      await svc.close();
    }

    // The scratch files are still there until the next run, which removes them.
    expect(stageFiles(tmp, pid).length).toBeGreaterThan(0);
    expect(csvTemps(dir, pid).length).toBe(1);
    const resumed = sluice(['run', dir, '--resume', run.id, '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as RunReport;
    expect(report).toMatchObject({ status: 'succeeded', resumedFrom: run.id });
    for (const p of report.pipelines) expect(p.rowsIn).toBeGreaterThan(100_000);
    expect(stageFiles(tmp, pid)).toEqual([]);
    expect(csvTemps(dir, pid)).toEqual([]);
    const db = new Database(join(dir, 'out', 'k.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 120_000);

  it('a run of a live process stays running; one of another host is judged by its heartbeat', () => {
    const dir = tempDir();
    const path = join(dir, 'store.db');
    const s = openStore(path);
    const at = new Date().toISOString();
    const base = { project: 'p', projectDir: dir, recipeHash: 'h', startedAt: at };
    s.createRun({ id: 'run_live', ...base });
    s.createRun({ id: 'run_far_fresh', ...base });
    s.createRun({ id: 'run_far_stale', ...base });
    // Runs recorded before runs had owners: judged by how long ago they started.
    s.createRun({ id: 'run_old_recent', ...base });
    s.createRun({ id: 'run_old_long_ago', ...base });
    s.close();
    const db = new Database(path);
    const old = new Date(Date.now() - 3_600_000).toISOString();
    db.prepare(`UPDATE runs SET owner_host = 'elsewhere' WHERE id LIKE 'run_far_%'`).run();
    db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = 'run_far_stale'`).run(old);
    db.prepare(
      `UPDATE runs SET owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL WHERE id LIKE 'run_old_%'`,
    ).run();
    db.prepare(`UPDATE runs SET started_at = ? WHERE id = 'run_old_long_ago'`).run(old);
    db.close();
    const again = openStore(path);
    const status = (id: string): string | undefined => again.getRun(id)?.run.status;
    expect(status('run_live')).toBe('running');
    expect(status('run_far_fresh')).toBe('running');
    expect(status('run_far_stale')).toBe('interrupted');
    expect(status('run_old_recent')).toBe('running');
    expect(status('run_old_long_ago')).toBe('interrupted');
    expect(again.logs('run_far_stale').at(-1)?.message).toMatch(
      /^run interrupted: its process \d+ on elsewhere has not beaten since .*; resume it with --resume run_far_stale$/,
    );
    again.close();
  });
});

/** The id of the run the child recorded (it is the only one in its store). */
async function runIdOf(store: string): Promise<string> {
  return until(() => {
    if (!existsSync(store)) return null;
    const db = new Database(store, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare(`SELECT id FROM runs WHERE status = 'running'`).get() as
        { id: string } | undefined;
      return row?.id ?? null;
    } catch {
      return null; // not migrated yet
    } finally {
      db.close();
    }
  }, 'the run to be recorded');
}
