/**
 * kill -9 of `sluice run` loading into PostgreSQL, at many points of the load in a loop: from the
 * run's start in the store, through the COPY straight into the table and the commit, to the run's
 * last writes to its store. After each kill the table holds all the old rows or all the new ones
 * (never a part, never a mix), the run store passes integrity_check, and the next run goes on.
 *
 * Kill points are found by watching the run's PostgreSQL session (pg_stat_activity, COPY
 * progress, identified by application_name), the table and the store; never by sleeping.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { writeBenchSales } from '../../src-main/demo/bench-data';
import type { RunReport } from '../../src-shared/recipe/result';
import { SLUICE, sluice } from '../helpers/cli';
import { DATABASE_URL, testSchema } from '../helpers/pg';
import { tempDir } from '../helpers/tmp';

const ROWS = 30_000;
/** The COPY advances a batch (2,048 rows) at a time: a point every batch. */
const COPY_STEP = 2048;

/** Where a run is, as seen from outside; in the order a run passes through them. */
const POINTS = [
  'run recorded',
  'connected',
  'setup',
  'load transaction open',
  // A full load into a table no other load holds locks it, deletes the old rows and COPYs
  // straight into it (a staged load COPYs first, then locks, deletes and moves).
  'table lock',
  'old rows deleted',
  ...Array.from({ length: Math.ceil(ROWS / COPY_STEP) }, (_, i) => `copy ${i * COPY_STEP}`),
  'copy done',
  'bookkeeping',
  'commit',
  'committed',
];

interface Seen {
  backend: { query: string; state: string; ms: number; copied: number | null } | null;
  committed: boolean;
  recorded: boolean;
}

function pointOf(s: Seen): string | null {
  if (s.committed) return 'committed';
  const b = s.backend;
  if (!b) return s.recorded ? 'run recorded' : null;
  const q = b.query;
  if (/^COMMIT/.test(q) && b.state === 'active') return 'commit';
  if (/^(INSERT INTO|UPDATE) .*sluice_(rejects|watermarks)/s.test(q)) return 'bookkeeping';
  if (/^RELEASE SAVEPOINT sluice_direct/.test(q)) return 'copy done';
  if (/^(DELETE FROM|SAVEPOINT sluice_direct)/.test(q)) return 'old rows deleted';
  if (/pg_try_advisory_xact_lock/.test(q)) return 'table lock';
  const copy = /^COPY "[^"]+"\."sales"/.test(q);
  if (copy && b.state !== 'active') return 'copy done';
  if (copy)
    return `copy ${Math.min(Math.floor((b.copied ?? 0) / COPY_STEP), Math.ceil(ROWS / COPY_STEP) - 1) * COPY_STEP}`;
  if (
    /information_schema|CREATE TEMP TABLE|ALTER TABLE sluice_stage|FROM .*sluice_watermarks/s.test(
      q,
    )
  )
    return 'load transaction open';
  if (/CREATE |pg_advisory_xact_lock|^BEGIN|^COMMIT/.test(q)) return 'setup';
  return 'connected';
}

const schema = testSchema();
const dir = tempDir();

describe('kill -9 of a PostgreSQL load, in a loop', () => {
  it(
    'at every point the table holds the old or the new rows, the store is sound, the next run succeeds',
    async () => {
      mkdirSync(join(dir, 'pipelines'));
      await writeBenchSales(join(dir, 'sales.csv'), ROWS);
      writeFileSync(join(dir, 'sluice.yaml'), 'name: crash\nstore: store.db\n');
      const recipe = (version: string): void =>
        writeFileSync(
          join(dir, 'pipelines', 's.yaml'),
          `name: s\nsource: {path: sales.csv}\nsteps:\n  - step: cast\n    columns: {Order Number: int, Line Item: int}\n` +
            `  - step: derive\n    columns:\n      version: "'${version}'"\n` +
            `outputs:\n  - {kind: postgres, schema: ${schema}, table: sales, key: [Order Number, Line Item], mode: full, on_violation: skip}\n`,
        );
      const storePath = join(dir, 'store.db');
      const db = new pg.Client({ connectionString: DATABASE_URL });
      await db.connect();
      try {
        const versions = async (): Promise<{ version: string; n: number }[]> =>
          (
            await db.query<{ version: string; n: number }>(
              `SELECT version, count(*)::int AS n FROM "${schema}".sales GROUP BY 1`,
            )
          ).rows;

        recipe('v0');
        const first = sluice(['run', dir, '--json']);
        expect(first.code).toBe(0);
        const loaded = (JSON.parse(first.stdout) as RunReport).pipelines[0].outputs[0].inserted!;
        expect(loaded).toBeGreaterThan(ROWS * 0.99);
        expect(await versions()).toEqual([{ version: 'v0', n: loaded }]);
        let old = 'v0';

        const store = new Database(storePath, { readonly: true });
        const runCount = (): number =>
          (store.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

        const killedAt: string[] = [];
        const t0 = performance.now();
        // Each point, then twice more each point the passes before overshot (on a busy machine a
        // run can pass a short point between two looks: one retry still left 19 of 20 in CI).
        for (const [i, target] of [...POINTS, ...POINTS, ...POINTS].entries()) {
          // A point an earlier run was killed at (overshooting its own target) is not repeated.
          if (killedAt.includes(target)) continue;
          const version = `v${i + 1}`;
          recipe(version);
          const app = `sluice-crash-${process.pid}-${i}`;
          const runsBefore = runCount();
          const child = spawn(process.execPath, [SLUICE, 'run', dir, '--json'], {
            stdio: 'ignore',
            env: { ...process.env, DATABASE_URL, PGAPPNAME: app },
          });
          let exited: number | null | undefined;
          const closed = new Promise<void>((r) =>
            child.on('close', (code) => {
              exited = code;
              r();
            }),
          );
          // Watch the run until it reaches the target point (or gets past it), then kill it.
          const want = POINTS.indexOf(target);
          const started = performance.now();
          let at: string | null = null;
          while (exited === undefined) {
            const b = await db.query<{
              query: string;
              state: string;
              ms: number;
              copied: string | null;
            }>(
              `SELECT a.query, a.state, extract(epoch FROM clock_timestamp() - a.query_start) * 1000 AS ms,
                 p.tuples_processed AS copied
               FROM pg_stat_activity a LEFT JOIN pg_stat_progress_copy p ON p.pid = a.pid
               WHERE a.application_name = $1 LIMIT 1`,
              [app],
            );
            const row = b.rows[0];
            const seen: Seen = {
              backend: row
                ? {
                    ...row,
                    ms: Number(row.ms),
                    copied: row.copied === null ? null : Number(row.copied),
                  }
                : null,
              committed:
                want >= POINTS.indexOf('table lock') &&
                (await versions()).some((v) => v.version === version),
              recorded: runCount() > runsBefore,
            };
            const point = pointOf(seen);
            if (point !== null && POINTS.indexOf(point) >= want) {
              child.kill('SIGKILL');
              at = point;
              break;
            }
            if (performance.now() - started > 120_000)
              throw new Error(`run ${i} did not reach "${target}" in 2 minutes (last: ${point})`);
            await new Promise((r) => setTimeout(r, 5));
          }
          await closed;
          if (at) killedAt.push(at);
          console.log(
            `run ${i}: target ${target}, ${at ? `killed at ${at}` : `ran to its end (${exited})`} after ${Math.round(performance.now() - started)} ms`,
          );
          if (!at) expect(exited, `run ${i} (target ${target}) ran to its end`).toBe(0);

          // The killed session ends on the server (its transaction rolls back) before the table is read.
          const gone = performance.now();
          while (
            (await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [app]))
              .rowCount
          ) {
            if (performance.now() - gone > 60_000)
              throw new Error(`the session of run ${i} lingers`);
            await new Promise((r) => setTimeout(r, 5));
          }
          const now = await versions();
          expect(now, `after a kill at "${at}"`).toHaveLength(1);
          expect([old, version], `after a kill at "${at}"`).toContain(now[0].version);
          expect(now[0].n, `after a kill at "${at}"`).toBe(loaded);
          old = now[0].version;
          const check = new Database(storePath);
          expect(check.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          check.close();
        }
        const ms = performance.now() - t0;
        store.close();

        recipe('last');
        const last = sluice(['run', dir, '--json']);
        expect(last.code).toBe(0);
        expect(await versions()).toEqual([{ version: 'last', n: loaded }]);

        const distinct = new Set(killedAt);
        console.log(
          `${killedAt.length} kills at ${distinct.size} distinct points in ${Math.round(ms / 1000)} s: ${[...distinct].join(', ')}`,
        );
        expect(distinct.size).toBeGreaterThanOrEqual(20);
      } finally {
        await db.end();
      }
    },
    15 * 60_000,
  );
});
