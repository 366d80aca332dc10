/**
 * What a resumed run reuses, decided against a real store: never the output of a pipeline
 * whose recipe changed, nor of one downstream of a pipeline that runs again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../src-main/io/recipe-load';
import { emptyReport } from '../../src-main/orchestrator/run-pipeline';
import { planRun } from '../../src-main/orchestrator/run-plan';
import { renderPipeline } from '../../src-main/orchestrator/run-date';
import { taskRecipe } from '../../src-main/orchestrator/recipe-hash';
import { openRunStore } from '../../src-main/store/open';
import type { RunStore, TaskStatus } from '../../src-main/store/store';
import type { RunReport } from '../../src-shared/recipe/result';
import { makeProject } from '../helpers/project';

const RUN_DATE = '2026-03-01';
const csvOut = (name: string): string => `outputs:\n  - {kind: csv, path: out/${name}.csv}\n`;
const sqliteOut = (name: string): string => `outputs:\n  - {kind: sqlite, table: ${name}}\n`;
const stores: RunStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

async function open(pipelines: Record<string, string>): Promise<[string, LoadedProject, RunStore]> {
  const dir = makeProject(pipelines, { name: 'r', smallCsv: 'id\n1\n' });
  const project = await loadProject(dir);
  const store = openRunStore(project);
  stores.push(store);
  return [dir, project, store];
}

/** Records a finished run of the project as it is now, with these task statuses. */
function recordRun(
  project: LoadedProject,
  store: RunStore,
  statuses: Record<string, Exclude<TaskStatus, 'running' | 'interrupted'>>,
  target?: 'postgres',
): string {
  const id = `run_${Object.keys(statuses).join('')}_${Math.random().toString(36).slice(2, 8)}`;
  const at = new Date().toISOString();
  store.createRun({
    id,
    project: 'r',
    projectDir: project.dir,
    recipeHash: 'h',
    startedAt: at,
    runDate: RUN_DATE,
  });
  for (const lp of project.pipelines) {
    const status = statuses[lp.pipeline.name];
    if (!status) continue;
    const recipe = taskRecipe(renderPipeline(lp, RUN_DATE), target);
    const task = store.createTask(id, lp.pipeline.name, recipe, at);
    store.finishTask(task, status, emptyReport(lp.pipeline.name, 'x', status), []);
  }
  store.finishRun(id, 'failed', { finishedAt: new Date().toISOString() } as RunReport);
  return id;
}

const rewrite = (dir: string, name: string, body: string): void =>
  writeFileSync(join(dir, 'pipelines', `${name}.yaml`), `name: ${name}\n${body}`);

describe('what a resumed run reuses', () => {
  it('a changed recipe runs again with everything downstream of it, however far', async () => {
    const [dir, project, store] = await open({
      a: `source: {path: small.csv}\n${csvOut('a')}`,
      b: `source: {pipeline: a}\n${csvOut('b')}`,
      c: `depends_on: [b]\nsource: {path: small.csv}\n${csvOut('c')}`,
      d: `source: {path: small.csv}\n${csvOut('d')}`,
      e: `source: {path: missing.csv}\n${csvOut('e')}`,
    });
    const old = recordRun(project, store, {
      a: 'succeeded',
      b: 'succeeded',
      c: 'succeeded',
      d: 'succeeded',
      e: 'failed',
    });
    const before = store.getRun(old)!.tasks.find((t) => t.pipeline === 'a')!.recipeHash;
    rewrite(
      dir,
      'a',
      `source: {path: small.csv}\nsteps:\n  - step: limit\n    rows: 1\n${csvOut('a')}`,
    );
    const plan = planRun(await loadProject(dir), store, { resume: old });
    expect([...plan.reuse.keys()]).toEqual(['d']);
    const now = taskRecipe(
      plan.selected.find((lp) => lp.pipeline.name === 'a')!,
      undefined,
    );
    expect(plan.changed).toEqual([
      `recipe of a changed since ${old} (${before.slice(0, 12)} -> ${now.hash.slice(0, 12)}): it runs again, with b, c (downstream of it)`,
    ]);
    // The text that made the old run's a is still there to compare with.
    expect(store.recipe(before)!.text).toBe(`name: a\nsource: {path: small.csv}\n${csvOut('a')}`);
    expect(store.recipe(before)!.text).not.toBe(now.text);
  });

  it('a change the parse drops (a comment) is the same recipe: everything that succeeded is reused', async () => {
    const [dir, project, store] = await open({
      a: `source: {path: small.csv}\n${csvOut('a')}`,
      b: `source: {pipeline: a}\n${csvOut('b')}`,
    });
    const old = recordRun(project, store, { a: 'succeeded', b: 'succeeded' });
    rewrite(dir, 'a', `# reviewed\nsource: {path: small.csv}\n${csvOut('a')}`);
    const plan = planRun(await loadProject(dir), store, { resume: old });
    expect([...plan.reuse.keys()]).toEqual(['a', 'b']);
    expect(plan.changed).toEqual([]);
  });

  it('a pipeline marked succeeded by hand runs again when its upstream does; one skipped stays skipped', async () => {
    const [, project, store] = await open({
      a: `source: {path: small.csv}\n${csvOut('a')}`,
      b: `source: {pipeline: a}\n${csvOut('b')}`,
      c: `source: {pipeline: b}\n${csvOut('c')}`,
      s: `depends_on: [a]\nsource: {path: small.csv}\n${csvOut('s')}`,
    });
    const old = recordRun(project, store, {
      a: 'failed',
      b: 'upstream_failed',
      c: 'upstream_failed',
      s: 'upstream_failed',
    });
    store.markTask(old, 'b', 'succeeded', 'looked fine');
    store.markTask(old, 'c', 'succeeded', '');
    store.markTask(old, 's', 'skipped', 'not today');
    const plan = planRun(project, store, { resume: old });
    // a runs again, so b and c would read outputs a did not write this time: they run too.
    expect([...plan.reuse.keys()]).toEqual(['s']);
    expect(plan.reuse.get('s')).toMatchObject({ status: 'skipped', reusedFrom: old });
    expect(plan.changed).toEqual([
      `b succeeded in ${old} but runs again: its upstream a does`,
      `c succeeded in ${old} but runs again: its upstream b does`,
    ]);
  });

  it('resuming with --target postgres runs again what loads into a database, and what reads it', async () => {
    const [, project, store] = await open({
      a: `source: {path: small.csv}\n${sqliteOut('a')}`,
      b: `source: {pipeline: a}\n${csvOut('b')}`,
      d: `source: {path: small.csv}\n${csvOut('d')}`,
      e: `source: {path: missing.csv}\n${csvOut('e')}`,
    });
    const old = recordRun(project, store, {
      a: 'succeeded',
      b: 'succeeded',
      d: 'succeeded',
      e: 'failed',
    });
    const same = planRun(project, store, { resume: old, target: 'sqlite' });
    expect([...same.reuse.keys()]).toEqual(['a', 'b', 'd']);
    const pg = planRun(project, store, { resume: old, target: 'postgres' });
    expect([...pg.reuse.keys()]).toEqual(['d']);
    expect(pg.changed).toHaveLength(1);
    expect(pg.changed[0]).toMatch(
      /^recipe of a changed since run_\w+ .*, with b \(downstream of it\)$/,
    );
    // And back: a run that loaded into PostgreSQL is not reused by a SQLite resume.
    const pgRun = recordRun(
      project,
      store,
      { a: 'succeeded', d: 'succeeded', e: 'failed' },
      'postgres',
    );
    expect([...planRun(project, store, { resume: pgRun }).reuse.keys()]).toEqual(['d']);
  });
});
