/**
 * kill -9 at many points of real `sluice run`s (a CSV output and a SQLite output): after each
 * kill the target holds the old or the new output, never a part; the run store passes
 * integrity_check; the next command (a run, or a resume of the killed run) is not refused, and
 * every few kills one is let run to the end and succeeds. No leftovers survive a finished run.
 *
 * Kill points are events of the child's progress, spread over its run: just after it has
 * recorded its run; when its scratch file (the CSV's temporary file, the load's staging
 * database) has grown to 1/n, 2/n... of its full size (measured on a calibration run); once
 * the scratch file is gone again (committing or committed); and once the run is recorded over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
const ROWS = 60_000;

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

type Kind = 'csv' | 'sqlite';

interface Lab {
  dir: string;
  tmp: string;
  store: string;
  /** The size of the child's scratch file (0: none now). */
  scratch(): number;
  /** Its full size, seen on calibration runs. */
  scratchMax: number;
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
  const scratch = (): number => {
    const [folder, prefix] =
      kind === 'csv' ? [join(dir, 'out'), '.c.csv.'] : [tmp, 'sluice-stage-'];
    if (!existsSync(folder)) return 0;
    let size = 0;
    for (const f of readdirSync(folder))
      if (f.startsWith(prefix))
        try {
          size = Math.max(size, statSync(join(folder, f)).size);
        } catch {
          // gone between the listing and the look
        }
    return size;
  };
  return { dir, tmp, store: join(dir, 'store.db'), versions: [], target, scratch, scratchMax: 0 };
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
async function finish(lab: Lab, args: string[]): Promise<number | null> {
  const s = await start(lab, args);
  let exited = false;
  void s.exit.then(() => (exited = true));
  // While it runs, note how big its scratch file grows (to place the kill points).
  while (!exited) {
    lab.scratchMax = Math.max(lab.scratchMax, lab.scratch());
    await new Promise((r) => setTimeout(r, 5));
  }
  return s.exit;
}

/** Waits for the kill point's event, or the child's exit; true if the event came. */
async function reach(lab: Lab, point: number, exit: Promise<unknown>): Promise<boolean> {
  let exited = false;
  void exit.then(() => (exited = true));
  const last = KILLS + 3;
  let seen = false;
  const due = (): boolean => {
    if (point === 0) return true; // just after the run is recorded
    const size = lab.scratch();
    seen ||= size > 0;
    if (point < last - 1) return size >= (lab.scratchMax * point) / (last - 1);
    if (point === last - 1) return seen && size === 0; // committing, or committed
    return lastRun(lab.store).status !== 'running'; // recorded over, about to exit
  };
  while (!exited) {
    if (due()) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
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
  /** Kill points the child outran (it exited first: a finished run, checked as such). */
  outran: number;
  finished: number;
  landed: number;
  ms: number;
}

async function crashLoop(kind: Kind): Promise<LoopFigures> {
  const t0 = Date.now();
  const lab = await makeLab(kind);
  // The two versions of the output, and the scratch file's full size (calibration).
  for (const v of [0, 1]) {
    useVersion(lab, kind, v);
    expect(await finish(lab, ['run', lab.dir])).toBe(0);
    lab.versions.push(lab.target()!);
  }
  expect(lab.versions[0]).not.toBe(lab.versions[1]);
  expect(lab.scratchMax).toBeGreaterThan(0);
  let killed: string | null = null;
  const f: LoopFigures = { kills: 0, outran: 0, finished: 0, landed: 0, ms: 0 };
  let k = 0;
  const finishOne = async (): Promise<void> => {
    const v = k % 2;
    useVersion(lab, kind, v);
    const args = killed && k % 2 === 1 ? ['run', lab.dir, '--resume', killed] : ['run', lab.dir];
    k++;
    expect(await finish(lab, args), `sluice ${args.join(' ')}`).toBe(0);
    expect(lab.target()).toBe(lab.versions[v]);
    noLeftovers(lab);
    storeIsSound(lab);
    f.finished++;
    killed = null;
  };
  for (let point = 0; point <= KILLS + 3; point++) {
    if (point > 0 && point % FINISH_EVERY === 0) await finishOne();
    const v = k % 2;
    useVersion(lab, kind, v);
    // The next command after a kill: a resume of the killed run, or a new run, in turn.
    const args = killed && k % 2 === 1 ? ['run', lab.dir, '--resume', killed] : ['run', lab.dir];
    k++;
    const s = await start(lab, args);
    const run = lastRun(lab.store);
    if (args.includes('--resume')) expect(run.resumed_from).toBe(killed);
    if (await reach(lab, point, s.exit)) {
      s.child.kill('SIGKILL');
      await s.exit;
      f.kills++;
      killed = run.id;
    } else {
      expect(await s.exit, `sluice ${args.join(' ')}`).toBe(0);
      f.outran++;
      killed = null;
    }
    // Old or new, never a part.
    const now = lab.target();
    expect(lab.versions).toContain(now);
    if (killed && now === lab.versions[v]) f.landed++;
    storeIsSound(lab);
  }
  // After the last kill: a resume and a run both succeed, and nothing is left behind.
  if (killed) expect(await finish(lab, ['run', lab.dir, '--resume', killed])).toBe(0);
  expect(await finish(lab, ['run', lab.dir])).toBe(0);
  noLeftovers(lab);
  expect(lastRun(lab.store).status).toBe('succeeded');
  // No run is left running: the killed ones are interrupted (or finished just before the kill).
  const db = new Database(lab.store, { readonly: true });
  const running = db.prepare(`SELECT count(*) AS n FROM runs WHERE status = 'running'`).get();
  db.close();
  expect(running).toEqual({ n: 0 });
  return { ...f, ms: Date.now() - t0 };
}

describe('kill -9 in a loop', () => {
  it(`CSV and SQLite outputs, ${KILLS} kill points each`, async () => {
    // The two loops run side by side (two children at a time on two cores).
    const [csv, sqlite] = await Promise.all([crashLoop('csv'), crashLoop('sqlite')]);
    expect(csv.kills).toBeGreaterThanOrEqual(KILLS);
    expect(sqlite.kills).toBeGreaterThanOrEqual(KILLS);
    const line = (name: string, x: LoopFigures): string =>
      `${name}: ${x.kills} kills (${x.landed} after the new output was in place, ${x.outran} points outrun), ` +
      `${x.finished} runs let finish, ${Math.round(x.ms / 1000)} s`;
    process.stdout.write(`crash loop: ${line('csv', csv)}; ${line('sqlite', sqlite)}\n`);
  }, 1_800_000);
});
