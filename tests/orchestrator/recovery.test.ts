/** Resume, tasks marked by hand, logical dates, backfill and downstream triggering. */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { makeProject } from '../helpers/project';

const project = (pipelines: Record<string, string>): string =>
  makeProject(pipelines, { name: 'r', settings: 'workers: 2\n', smallCsv: 'id,v\n1,a\n2,b\n' });
const csvOut = (name: string): string => `outputs:\n  - {kind: csv, path: out/${name}.csv}\n`;
const runJson = async (
  args: string[],
): Promise<{ code: number; report: RunReport; stderr: string }> => {
  const r = await sluiceIn([...args, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout || 'null') as RunReport, stderr: r.stderr };
};
const statuses = (r: RunReport): Record<string, string> =>
  Object.fromEntries(r.pipelines.map((p) => [p.name, p.status]));

describe('resume and tasks marked by hand', () => {
  it('reruns only what failed or did not run, reusing the outputs of what succeeded', async () => {
    const dir = project({
      a: `source: {path: late.csv}\n${csvOut('a')}`,
      b: `source: {path: small.csv}\n${csvOut('b')}`,
      c: `source: {pipeline: a}\n${csvOut('c')}`,
    });
    const first = await runJson(['run', dir]);
    expect(first.code).toBe(1);
    expect(statuses(first.report)).toEqual({ a: 'failed', b: 'succeeded', c: 'upstream_failed' });
    const bWritten = statSync(join(dir, 'out', 'b.csv')).mtimeMs;

    writeFileSync(join(dir, 'late.csv'), 'id\n7\n8\n9\n');
    const second = await runJson(['run', dir, '--resume', first.report.runId]);
    expect(second.code).toBe(0);
    expect(second.report).toMatchObject({ resumedFrom: first.report.runId, trigger: 'resume' });
    expect(second.report.runDate).toBe(first.report.runDate);
    expect(statuses(second.report)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    const b = second.report.pipelines.find((p) => p.name === 'b')!;
    expect(b.reusedFrom).toBe(first.report.runId);
    expect(statSync(join(dir, 'out', 'b.csv')).mtimeMs).toBe(bWritten);
    expect(readFileSync(join(dir, 'out', 'c.csv'), 'utf8')).toBe('id\n7\n8\n9\n');
    // The resumed run is listed with what started it.
    const runs = JSON.parse(
      (await sluiceIn(['runs', '--store', join(dir, 'store.db'), '--json'])).stdout,
    );
    expect(runs.items[0]).toMatchObject({ id: second.report.runId, trigger: 'resume' });
  });

  it('a task marked skipped by hand is recorded as such and lets its dependents run on resume', async () => {
    const dir = project({
      a: `source: {path: never.csv}\n${csvOut('a')}`,
      c: `depends_on: [a]\nsource: {path: small.csv}\n${csvOut('c')}`,
    });
    const first = await runJson(['run', dir]);
    expect(statuses(first.report)).toEqual({ a: 'failed', c: 'upstream_failed' });
    const store = join(dir, 'store.db');
    const mark = await sluiceIn([
      'task',
      first.report.runId,
      'a',
      '--mark',
      'skipped',
      '--note',
      'no file today',
      '--store',
      store,
    ]);
    expect(mark.stdout).toBe(`${first.report.runId} a: marked skipped\n`);
    expect((await sluiceIn(['logs', first.report.runId, '--store', store])).stdout).toMatch(
      /a marked skipped by hand \(was failed\): no file today/,
    );
    const second = await runJson(['run', dir, '--resume', first.report.runId]);
    expect(second.code).toBe(0);
    expect(statuses(second.report)).toEqual({ a: 'skipped', c: 'succeeded' });
    expect(second.report.pipelines[0].markedByHand).toEqual({
      from: 'failed',
      note: 'no file today',
    });
    expect(
      (await sluiceIn(['task', 'run_nope', 'a', '--mark', 'skipped', '--store', store])).code,
    ).toBe(2);
  });

  it('a pipeline run on its own triggers what depends on it, once its other upstreams have succeeded', async () => {
    const dir = project({
      a: `source: {path: small.csv}\n${csvOut('a')}`,
      b: `source: {pipeline: a}\n${csvOut('b')}`,
      // c also reads z, which has never run: c is not triggered until z has succeeded.
      c: `source: {pipeline: a}\nsteps:\n  - step: union\n    with: {pipeline: z}\n${csvOut('c')}`,
      z: `source: {path: small.csv}\n${csvOut('z')}`,
      other: `source: {path: small.csv}\n${csvOut('other')}`,
    });
    const first = await runJson(['run', dir, '--pipeline', 'a']);
    expect(first.report.pipelines.map((p) => p.name)).toEqual(['a', 'b']);
    expect(
      (await sluiceIn(['logs', first.report.runId, '--store', join(dir, 'store.db')])).stdout,
    ).toMatch(/not triggered: c \(upstream z has not succeeded yet\)/);
    expect(
      (await runJson(['run', dir, '--pipeline', 'z', '--only'])).report.pipelines.map(
        (p) => p.name,
      ),
    ).toEqual(['z']);
    expect(
      (await runJson(['run', dir, '--pipeline', 'a'])).report.pipelines.map((p) => p.name),
    ).toEqual(['a', 'b', 'c']);
    expect(
      (await runJson(['run', dir, '--pipeline', 'a', '--only'])).report.pipelines.map(
        (p) => p.name,
      ),
    ).toEqual(['a']);
  });
});

describe('logical dates and backfill', () => {
  const daily = (dir: string, day: string, rows: string[]): void =>
    writeFileSync(join(dir, 'daily', `${day}.csv`), `day,amount\n${rows.join('\n')}\n`);

  it('backfills a date range, one run per day, with at most --parallel at once; a re-run replaces its partition', async () => {
    const dir = project({
      sales: `source: {path: 'daily/{{ run_date }}.csv'}\nsteps:\n  - step: filter\n    where: day = '{{ run_date }}'\noutputs:\n  - {kind: csv, path: 'out/{{ run_date_nodash }}/sales.csv'}\n`,
    });
    mkdirSync(join(dir, 'daily'));
    const days = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'];
    // Each day's file also holds a stray row of the day before, which the filter drops.
    days.forEach((d, i) => daily(dir, d, [`${d},${i + 1}`, `${d},${i + 10}`, `2025-12-31,0`]));
    const r = await sluiceIn([
      'backfill',
      dir,
      '--pipeline',
      'sales',
      '--from',
      days[0],
      '--to',
      days[3],
      '--parallel',
      '2',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const runs = (JSON.parse(r.stdout) as { runs: RunReport[] }).runs;
    expect(runs.map((x) => [x.runDate, x.trigger, x.status])).toEqual(
      days.map((d) => [d, 'backfill', 'succeeded']),
    );
    days.forEach((d, i) =>
      expect(readFileSync(join(dir, 'out', d.replace(/-/g, ''), 'sales.csv'), 'utf8')).toBe(
        `day,amount\n${d},${i + 1}\n${d},${i + 10}\n`,
      ),
    );
    // Never more than two runs at once.
    const spans = runs.map((x) => [Date.parse(x.startedAt), Date.parse(x.finishedAt)]);
    for (const [s] of spans)
      expect(spans.filter(([a, b]) => a <= s && s < b).length).toBeLessThanOrEqual(2);

    daily(dir, days[1], [`${days[1]},99`]);
    const again = await runJson(['run', dir, '--date', days[1]]);
    expect(again.report.runDate).toBe(days[1]);
    expect(readFileSync(join(dir, 'out', '20260102', 'sales.csv'), 'utf8')).toBe(
      `day,amount\n${days[1]},99\n`,
    );
  });

  it('a bad date or an unknown placeholder is a usage error naming it', async () => {
    const dir = project({ p: `source: {path: 'x/{{ run_day }}.csv'}\n${csvOut('p')}` });
    const bad = await sluiceIn(['run', dir, '--date', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"2026-02-30" is not a date: expected YYYY-MM-DD/);
    const unknown = await sluiceIn(['run', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /pipelines\/p\.yaml.*unknown placeholder \{\{ run_day \}\}; the placeholders are: run_date, run_date_nodash/,
    );
    const range = await sluiceIn([
      'backfill',
      dir,
      '--pipeline',
      'p',
      '--from',
      '2026-01-05',
      '--to',
      '2026-01-01',
    ]);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/--to 2026-01-01 is before --from 2026-01-05/);
  });
});
