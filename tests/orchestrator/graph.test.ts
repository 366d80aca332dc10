/**
 * A project runs as a graph on worker threads: order, parallelism, upstream failures, retries,
 * timeouts and cancel, against real files and a real run store.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PipelineReport, RunReport } from '../../src-shared/recipe/result';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import { ConfigError, loadProject } from '../../src-main/io/recipe-load';
import { runFolder, runProject } from '../../src-main/orchestrator/run-project';
import { openStore } from '../../src-main/store/sqlite-store';
import { withRunStore } from '../../src-main/store/open';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

let big: string;

beforeAll(async () => {
  big = join(tempDir(), 'big.csv');
  await writeBenchSales(big, 150_000);
});

/** A project folder with these pipelines (YAML bodies without the name line). */
const project = (pipelines: Record<string, string>, settings = ''): string =>
  makeProject(pipelines, { name: 'g', settings, smallCsv: 'id,v\n1,a\n2,b\n3,c\n' });

const fromFile = (file: string, extra = ''): string =>
  `source: {path: ${JSON.stringify(file)}}\n${extra}outputs:\n  - {kind: csv, path: out/$NAME.csv}\n`;
const fromPipeline = (up: string, extra = ''): string =>
  `source: {pipeline: ${up}}\n${extra}outputs:\n  - {kind: csv, path: out/$NAME.csv}\n`;

function pipelines(defs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(defs).map(([n, body]) => [n, body.replace('$NAME', n)]));
}

/** Runs a project; the big file's folder is allowed, as `--allow-path` would. */
async function run(dir: string, opts: Parameters<typeof runProject>[2] = {}): Promise<RunReport> {
  const project = await loadProject(dir);
  return withRunStore(project, undefined, (store) =>
    runProject(project, store, { allow: [dirname(big)], ...opts }),
  );
}

const byName = (r: RunReport): Record<string, PipelineReport> =>
  Object.fromEntries(r.pipelines.map((p) => [p.name, p]));
const t = (iso: string): number => Date.parse(iso);

describe('a project as a graph', () => {
  it('chain and diamond: each pipeline starts after everything it reads has finished', async () => {
    const dir = project(
      pipelines({
        a: fromFile('small.csv'),
        b: fromPipeline('a'),
        c: fromPipeline('a'),
        // d reads b and joins c: both edges come from what it reads, without depends_on.
        d: fromPipeline(
          'b',
          'steps:\n  - step: join\n    how: inner\n    with: {pipeline: c}\n    on: [id]\n',
        ),
        e: fromPipeline('d'),
      }),
    );
    const r = await run(dir, { workers: 2 });
    expect(r.status).toBe('succeeded');
    const p = byName(r);
    for (const [down, ups] of Object.entries({ b: ['a'], c: ['a'], d: ['b', 'c'], e: ['d'] }))
      for (const up of ups)
        expect(t(p[down].startedAt)).toBeGreaterThanOrEqual(t(p[up].finishedAt));
    expect(p.e.rowsOut).toBe(3);
    expect(r.pipelines.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const x of r.pipelines) {
      expect(x.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof x.worker).toBe('number');
    }
    // The execution summary is in the run folder and in the store.
    const summary = JSON.parse(
      readFileSync(join(runFolder(join(dir, 'store.db'), r.runId), 'summary.json'), 'utf8'),
    ) as RunReport;
    expect(summary.pipelines.map((x) => [x.name, x.status, x.rowsOut])).toEqual(
      r.pipelines.map((x) => [x.name, x.status, x.rowsOut]),
    );
    const store = openStore(join(dir, 'store.db'));
    expect(store.getRun(r.runId)!.report!.pipelines.map((x) => x.worker)).toEqual(
      r.pipelines.map((x) => x.worker),
    );
    store.close();
  });

  it('runs independent pipelines at the same time on different workers', async () => {
    const dir = project(pipelines({ x: fromFile(big), y: fromFile(big) }), 'workers: 2\n');
    const r = await run(dir);
    expect(r.workers).toBe(2);
    const { x, y } = byName(r);
    expect([x.status, y.status]).toEqual(['succeeded', 'succeeded']);
    expect(x.worker).not.toBe(y.worker);
    // The intervals overlap: each started before the other finished.
    expect(t(x.startedAt)).toBeLessThan(t(y.finishedAt));
    expect(t(y.startedAt)).toBeLessThan(t(x.finishedAt));
  });

  it('a failure marks its dependents upstream_failed and the rest go on', async () => {
    const dir = project(
      pipelines({
        bad: fromFile('missing.csv'),
        after: fromPipeline('bad'),
        later: `depends_on: [after]\n${fromFile('small.csv')}`,
        fine: fromFile('small.csv'),
      }),
    );
    const r = await run(dir, { workers: 2 });
    expect(r.status).toBe('failed');
    const p = byName(r);
    expect(p.bad).toMatchObject({ status: 'failed', error: { code: 'source' } });
    expect(p.after).toMatchObject({
      status: 'upstream_failed',
      error: { code: 'upstream_failed' },
    });
    expect(p.later.status).toBe('upstream_failed');
    expect(p.fine.status).toBe('succeeded');
    expect(existsSync(join(dir, 'out', 'fine.csv'))).toBe(true);
  });

  it('a dependency cycle is a config error that names the cycle', async () => {
    const dir = project(
      pipelines({
        a: `depends_on: [c]\n${fromFile('small.csv')}`,
        b: fromPipeline('a'),
        c: fromPipeline('b'),
      }),
    );
    const err = await run(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(
      /dependency cycle: (a -> c -> b -> a|b -> a -> c -> b|c -> b -> a -> c)/,
    );
  });
});

describe('retries, timeouts and cancel', () => {
  it('retries a failed pipeline after a delay, and succeeds once the cause is gone', async () => {
    const dir = project(pipelines({ late: fromFile('late.csv', 'retries: 2\nretry_delay: 1\n') }));
    // The file appears once the first attempt has failed (seen in the run's log).
    const watch = setInterval(() => {
      if (!existsSync(join(dir, 'store.db'))) return;
      const db = new Database(join(dir, 'store.db'), { readonly: true });
      const seen = db
        .prepare(`SELECT 1 FROM logs WHERE message LIKE '%attempt 1 of 3 failed%'`)
        .get();
      db.close();
      if (seen) {
        writeFileSync(join(dir, 'late.csv'), 'id\n1\n');
        clearInterval(watch);
      }
    }, 50);
    const r = await run(dir);
    expect(byName(r).late).toMatchObject({ status: 'succeeded', attempts: 2, rowsOut: 1 });
    const store = openStore(join(dir, 'store.db'));
    expect(
      store
        .logs(r.runId)
        .map((l) => l.message)
        .join('\n'),
    ).toMatch(/late: attempt 1 of 3 failed \(.*late\.csv.*\); retrying in 1 s/);
    store.close();
  });

  it('gives up after the last retry with backoff, recording the error and every attempt', async () => {
    const dir = project(
      pipelines({
        never: fromFile('nope.csv', 'retries: 2\nretry_delay: 0.05\nretry_backoff: 3\n'),
      }),
    );
    const r = await run(dir);
    expect(byName(r).never).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { code: 'source' },
    });
    const store = openStore(join(dir, 'store.db'));
    const log = store
      .logs(r.runId)
      .map((l) => `${l.level} ${l.message}`)
      .join('\n');
    store.close();
    expect(log).toMatch(/warn never: attempt 1 of 3 failed .* retrying in 0\.05 s/);
    expect(log).toMatch(/warn never: attempt 2 of 3 failed .* retrying in 0\.15 s/);
    expect(log).toMatch(/error never failed after 3 attempts: .*nope\.csv/);
  });

  it('stops a pipeline that runs past its timeout: failed, nothing written', async () => {
    // 150,000 rows take longer than 0.05 s on any machine (0.3 s no longer did here).
    const dir = project(pipelines({ slow: fromFile(big, 'timeout: 0.05\n') }));
    const t0 = Date.now();
    const r = await run(dir);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(byName(r).slow).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(byName(r).slow.error!.message).toMatch(/ran longer than 0.05 s/);
    expect(existsSync(join(dir, 'out', 'slow.csv'))).toBe(false);
  });

  it('cancel stops running pipelines at their next batch and skips the rest, leaving no output', async () => {
    const dir = project(
      pipelines({ x: fromFile(big), y: fromFile(big), z: fromPipeline('x') }),
      'workers: 2\n',
    );
    const ctl = new AbortController();
    let cancelledAt = 0;
    const r = await run(dir, {
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.rows > 10_000 && !cancelledAt) {
          cancelledAt = Date.now();
          ctl.abort();
        }
      },
    });
    // About 100 ms on an idle machine; the bound leaves room for a busy one (the point is that
    // the run stops at its next batch instead of reading the remaining 140,000 rows).
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    expect(r.status).toBe('cancelled');
    expect(r.pipelines.map((p) => [p.name, p.status])).toEqual([
      ['x', 'cancelled'],
      ['y', 'cancelled'],
      ['z', 'cancelled'],
    ]);
    const out = join(dir, 'out');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
