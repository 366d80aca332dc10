/** Resume never mixes recipe versions, and runs exactly the pipelines of the run it resumes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { openStore } from '../../src-main/store/sqlite-store';
import { sluice } from '../helpers/cli';
import { makeProject } from '../helpers/project';

const project = (pipelines: Record<string, string>): string =>
  makeProject(pipelines, { name: 'r', settings: 'workers: 2\n', smallCsv: 'id,v\n1,a\n2,b\n' });
const csvOut = (name: string): string => `outputs:\n  - {kind: csv, path: out/${name}.csv}\n`;
const runJson = (args: string[]): { code: number; report: RunReport; stderr: string } => {
  const r = sluice([...args, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout || 'null') as RunReport, stderr: r.stderr };
};
const reused = (r: RunReport): Record<string, string | null> =>
  Object.fromEntries(r.pipelines.map((p) => [p.name, p.reusedFrom ?? null]));

describe('resume and recipe versions', () => {
  it('runs again a pipeline whose recipe changed since, and what reads its output, and says so', () => {
    const dir = project({
      a: `source: {path: small.csv}\n${csvOut('a')}`,
      b: `source: {path: late.csv}\n${csvOut('b')}`,
      c: `source: {pipeline: a}\n${csvOut('c')}`,
      d: `source: {path: small.csv}\n${csvOut('d')}`,
    });
    const first = runJson(['run', dir]);
    expect(first.code).toBe(1);
    // a's recipe changes; b's input arrives.
    writeFileSync(
      join(dir, 'pipelines', 'a.yaml'),
      `name: a\nsource: {path: small.csv}\nsteps:\n  - step: limit\n    rows: 1\n${csvOut('a')}`,
    );
    writeFileSync(join(dir, 'late.csv'), 'id\n7\n');
    const second = runJson(['run', dir, '--resume', first.report.runId]);
    expect(second.code, second.stderr).toBe(0);
    expect(reused(second.report)).toEqual({ a: null, b: null, c: null, d: first.report.runId });
    expect(readFileSync(join(dir, 'out', 'a.csv'), 'utf8')).toBe('id,v\n1,a\n');
    expect(readFileSync(join(dir, 'out', 'c.csv'), 'utf8')).toBe('id,v\n1,a\n');
    const log = sluice(['logs', second.report.runId, '--store', join(dir, 'store.db')]).stdout;
    expect(log).toMatch(
      /recipe of a changed since run_\w+ \([0-9a-f]{12} -> [0-9a-f]{12}\): it runs again, with c \(downstream of it\)/,
    );
    expect(log).toMatch(/reusing d\b/);
    // Each task names its recipe by hash, and the store gives back the text that made it.
    const store = openStore(join(dir, 'store.db'));
    const task = (r: RunReport, p: string) =>
      store.getRun(r.runId)!.tasks.find((t) => t.pipeline === p)!;
    const textOf = (r: RunReport, p: string) => store.recipe(task(r, p).recipeHash)?.text;
    expect(textOf(first.report, 'a')).toBe(`name: a\nsource: {path: small.csv}\n${csvOut('a')}`);
    expect(textOf(second.report, 'a')).toBe(readFileSync(join(dir, 'pipelines', 'a.yaml'), 'utf8'));
    expect(task(second.report, 'd').recipeHash).toBe(task(first.report, 'd').recipeHash);
    store.close();
  });

  it('resuming an --only run runs just its pipelines, not what depends on them', () => {
    const dir = project({
      a: `source: {path: late.csv}\n${csvOut('a')}`,
      z: `source: {pipeline: a}\n${csvOut('z')}`,
    });
    const first = runJson(['run', dir, '--pipeline', 'a', '--only']);
    expect(first.code).toBe(1);
    expect(first.report.pipelines.map((p) => p.name)).toEqual(['a']);
    writeFileSync(join(dir, 'late.csv'), 'id\n7\n');
    const second = runJson(['run', dir, '--resume', first.report.runId]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.report.pipelines.map((p) => [p.name, p.status])).toEqual([['a', 'succeeded']]);
  });
});
