/**
 * kill -9 at many points of real `sluice run`s (a CSV output and a SQLite output): after each
 * kill the target holds the old or the new output, never a part; the run store passes
 * integrity_check; the next command (a run, or a resume of the killed run) is not refused, and
 * every few kills one is let run to the end and succeeds. No leftovers survive a finished run.
 *
 * Kill points: after the child has recorded its run (an event: its row in the store), at a
 * delay spread over a calibrated run's length, from the first read to the last commit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import { SLUICE } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** Kill points per output kind (SLUICE_CRASH_KILLS to try more). */
const KILLS = Number(process.env.SLUICE_CRASH_KILLS ?? 20);
/** Every this many kills, the next command is let run to its end (and must succeed). */
const FINISH_EVERY = 5;
const ROWS = 100_000;

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

type Kind = 'csv' | 'sqlite';

interface Lab {
  dir: string;
  tmp: string;
  store: string;
  /** What the target holds after a run of source version 0 or 1. */
  versions: string[];
  target(): string | null;
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

async function makeLab(kind: Kind): Promise<Lab> {
  const dir = tempDir();
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  mkdirSync(join(dir, 'pipelines'));
  await writeBenchSales(join(dir, 'v0.csv'), ROWS, 7);
  await writeBenchSales(join(dir, 'v1.csv'), ROWS, 8);
  writeFileSync(join(dir, 'sluice.yaml'), `name: crash-${kind}\nstore: store.db\n`);
  const sqlite = join(dir, 'out', 'c.sqlite');
  const csv = join(dir, 'out', 'c.csv');
  const target = (): string | null => {
    if (kind === 'csv') return existsSync(csv) ? sha(readFileSync(csv)) : null;
    if (!existsSync(sqlite)) return null;
    const db = new Database(sqlite);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sales'`).get();
      if (!has) return null;
      const r = db
        .prepare(`SELECT count(*) AS n, total("Order Number" * 7 + "Line Item") AS s FROM sales`)
        .get() as { n: number; s: number };
      return `${r.n}:${r.s}`;
    } finally {
      db.close();
    }
  };
  return { dir, tmp, store: join(dir, 'store.db'), versions: [], target };
}

function useVersion(lab: Lab, kind: Kind, v: number): void {
  const out =
    kind === 'csv'
      ? '{kind: csv, path: out/c.csv}'
      : '{kind: sqlite, path: out/c.sqlite, table: sales, mode: full}';
  writeFileSync(
    join(lab.dir, 'pipelines', 'c.yaml'),
    `name: c\nsource: {path: v${v}.csv}\noutputs:\n  - ${out}\n`,
  );
}

const runCount = (store: string): number => {
  if (!existsSync(store)) return 0;
  const db = new Database(store, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } catch {
    return 0; // being created or migrated
  } finally {
    db.close();
  }
};

const lastRun = (store: string): { id: string; status: string; resumed_from: string | null } => {
  const db = new Database(store, { readonly: true });
  try {
    return db
      .prepare('SELECT id, status, resumed_from FROM runs ORDER BY started_at DESC, id DESC')
      .get() as { id: string; status: string; resumed_from: string | null };
  } finally {
    db.close();
  }
};

/** Starts `sluice args`; resolves when it has recorded its run (or exited first). */
async function start(
  lab: Lab,
  args: string[],
): Promise<{ child: ChildProcess; exit: Promise<number | null>; recordedAt: number }> {
  const before = runCount(lab.store);
  const child = spawn(process.execPath, [SLUICE, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TMPDIR: lab.tmp },
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let done = false;
  const exit = new Promise<number | null>((r) =>
    child.on('close', (code) => {
      done = true;
      children.delete(child);
      if (code !== 0 && code !== null) process.stderr.write(stderr);
      r(code);
    }),
  );
  const t0 = Date.now();
  while (!done && runCount(lab.store) === before) {
    if (Date.now() - t0 > 60_000) throw new Error(`sluice ${args.join(' ')} did not start`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, exit, recordedAt: Date.now() };
}

/** Runs to the end; the exit code. */
async function finish(lab: Lab, args: string[]): Promise<{ code: number | null; ms: number }> {
  const s = await start(lab, args);
  const code = await s.exit;
  return { code, ms: Date.now() - s.recordedAt };
}

function noLeftovers(lab: Lab): void {
  const out = join(lab.dir, 'out');
  expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(readdirSync(lab.tmp).filter((f) => f.startsWith('sluice-stage-'))).toEqual([]);
}

function storeIsSound(lab: Lab): void {
  const db = new Database(lab.store);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

interface LoopFigures {
  kills: number;
  finished: number;
  landed: number;
  runMs: number;
  ms: number;
}

async function crashLoop(kind: Kind): Promise<LoopFigures> {
  const t0 = Date.now();
  const lab = await makeLab(kind);
  // The two versions of the output, and how long a run lasts once recorded (calibration).
  let runMs = 0;
  for (const v of [0, 1]) {
    useVersion(lab, kind, v);
    const r = await finish(lab, ['run', lab.dir]);
    expect(r.code).toBe(0);
    runMs = Math.max(runMs, r.ms);
    lab.versions.push(lab.target()!);
  }
  expect(lab.versions[0]).not.toBe(lab.versions[1]);
  let killed: string | null = null;
  let kills = 0;
  let finished = 0;
  /** Kills after which the target held this run's version (the kill came after its commit). */
  let landed = 0;
  for (let k = 0; k < KILLS + Math.floor(KILLS / FINISH_EVERY); k++) {
    const v = k % 2;
    useVersion(lab, kind, v);
    // The next command after a kill: a resume of the killed run, or a new run, in turn.
    const args = killed && k % 2 === 1 ? ['run', lab.dir, '--resume', killed] : ['run', lab.dir];
    const letFinish = (k + 1) % (FINISH_EVERY + 1) === 0;
    if (letFinish) {
      const r = await finish(lab, args);
      expect(r.code, `sluice ${args.join(' ')}`).toBe(0);
      expect(lab.target()).toBe(lab.versions[v]);
      noLeftovers(lab);
      storeIsSound(lab);
      finished++;
      killed = null;
      continue;
    }
    const s = await start(lab, args);
    const run = lastRun(lab.store);
    if (args.includes('--resume')) expect(run.resumed_from).toBe(killed);
    // Spread over the run: from just after it is recorded to just before it ends.
    const at = Math.round((runMs * (kills + 0.5)) / KILLS);
    await Promise.race([new Promise((r) => setTimeout(r, at)), s.exit]);
    s.child.kill('SIGKILL');
    await s.exit;
    kills++;
    // Old or new, never a part.
    const now = lab.target();
    expect(lab.versions).toContain(now);
    if (now === lab.versions[v]) landed++;
    storeIsSound(lab);
    killed = run.id;
  }
  // After the last kill: a resume and a run both succeed, and nothing is left behind.
  if (killed) expect((await finish(lab, ['run', lab.dir, '--resume', killed])).code).toBe(0);
  expect((await finish(lab, ['run', lab.dir])).code).toBe(0);
  noLeftovers(lab);
  expect(lastRun(lab.store).status).toBe('succeeded');
  // Every killed run is interrupted, none left running.
  const db = new Database(lab.store, { readonly: true });
  const statuses = db.prepare('SELECT status, count(*) AS n FROM runs GROUP BY status').all();
  db.close();
  expect(statuses).not.toContainEqual(expect.objectContaining({ status: 'running' }));
  return { kills, finished, landed, runMs, ms: Date.now() - t0 };
}

describe('kill -9 in a loop', () => {
  it(`CSV and SQLite outputs, ${KILLS} kill points each`, async () => {
    // The two loops run side by side (two children at a time on two cores).
    const [csv, sqlite] = await Promise.all([crashLoop('csv'), crashLoop('sqlite')]);
    expect(csv.kills).toBe(KILLS);
    expect(sqlite.kills).toBe(KILLS);
    const line = (k: string, f: LoopFigures): string =>
      `${k}: ${f.kills} kills (${f.landed} after the new output was in place), ${f.finished} runs let finish, ` +
      `a run ${f.runMs} ms once recorded, ${Math.round(f.ms / 1000)} s in all`;
    process.stdout.write(`crash loop: ${line('csv', csv)}; ${line('sqlite', sqlite)}\n`);
  }, 1_800_000);
});
