/**
 * A pipeline's report says where its time went: reading, each step's own work, writing each
 * output (phasesOf). An output that is slow to take its rows is charged to that output, never to
 * the last step: here a PostgreSQL load waits on the table's lock, which this test holds until
 * the server says the load has waited for it a good while.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Pipeline } from '../../src-shared/recipe/pipeline';
import { phasesOf } from '../../src-shared/recipe/result';
import { projectResources } from '../../src-main/orchestrator/resources';
import { runPipeline } from '../../src-main/orchestrator/run-pipeline';
import { holdTableLock, query, testSchema } from '../helpers/pg';
import { tempDir } from '../helpers/tmp';

/** How long the load must have waited on the lock before the test lets it go. */
const HELD_MS = 400;

let holder: Awaited<ReturnType<typeof holdTableLock>> | null = null;
afterEach(async () => {
  await holder?.release().catch(() => undefined);
  holder = null;
});

it('charges a slow output to the output, not to the last step', async () => {
  const schema = testSchema();
  const dir = tempDir();
  const rows = Array.from({ length: 2000 }, (_, i) => `${i + 1}, name ${i + 1} ,${i % 7}`);
  writeFileSync(join(dir, 'in.csv'), `id,name,n\n${rows.join('\n')}\n`);
  const pipeline = Pipeline.parse({
    name: 'slow_load',
    source: { path: 'in.csv' },
    steps: [{ step: 'trim' }, { step: 'cast', columns: { id: 'int', n: 'int' } }],
    outputs: [
      { kind: 'csv', path: 'out/slow_load.csv' },
      { kind: 'postgres', schema, table: 'slow', key: ['id'] },
    ],
  });

  // The lock every load into the table takes before it commits (sinks/postgres-locks.ts).
  holder = await holdTableLock(schema, 'slow');
  const { pid } = holder;

  const lines: string[] = [];
  const run = runPipeline({
    projectDir: dir,
    resources: projectResources({ projectDir: dir, dataDir: dir, allowed: [], protected: [] }, []),
    defaultDatabase: join(dir, 'out', 'p.sqlite'),
    connections: {},
    pipeline,
    maxRejectRate: 0,
    previous: {},
    runId: 'run_timings',
    recorder: { log: (_level, m) => lines.push(m), addRejects: () => undefined },
  });
  // The load says it waits, and the server says for how long it has been blocked by us.
  await expect.poll(() => lines.some((l) => l.includes('waiting for another load'))).toBe(true);
  await expect
    .poll(
      async () =>
        (
          await query<{ ms: number }>(
            `SELECT (extract(epoch FROM clock_timestamp() - query_start) * 1000)::float8 AS ms
             FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
            [pid],
          )
        )[0]?.ms ?? 0,
      { timeout: 60_000 },
    )
    .toBeGreaterThanOrEqual(HELD_MS);
  await holder.release();
  holder = null;
  const report = await run;
  expect(report.status, report.error?.message).toBe('succeeded');
  expect(report.rowsOut).toBe(2000);

  const phases = phasesOf(report);
  expect(phases.map((p) => [p.name, p.kind])).toEqual([
    ['read', 'read'],
    ['1:trim', 'step'],
    ['2:cast', 'step'],
    [`write ${join(dir, 'out', 'slow_load.csv')}`, 'write'],
    ['load slow', 'write'],
  ]);
  const ms = Object.fromEntries(phases.map((p) => [p.name, p.ms]));
  // The wait is the load's...
  expect(ms['load slow']).toBeGreaterThanOrEqual(HELD_MS);
  // ...and not the last step's, which cast 2,000 rows.
  expect(ms['2:cast']).toBeLessThan(HELD_MS);
  // Nothing is counted twice: the parts add up to no more than the pipeline's time.
  const total = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const sum = phases.reduce((s, p) => s + p.ms, 0);
  expect(sum).toBeLessThanOrEqual(total + phases.length);
});
