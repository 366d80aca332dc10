/** The store keeps each recipe a task ran, once per hash, and reads it back. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { LoadedPipeline } from '../../src-main/io/recipe-load';
import { taskRecipe } from '../../src-main/orchestrator/recipe-hash';
import { MIGRATIONS } from '../../src-main/store/migrations';
import { openStore } from '../../src-main/store/sqlite-store';
import { Pipeline } from '../../src-shared/recipe/pipeline';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const loaded = (text: string, body: Record<string, unknown>): LoadedPipeline => ({
  file: 'pipelines/a.yaml',
  text,
  pipeline: Pipeline.parse({ name: 'a', ...body }),
});
const sqliteOut = { outputs: [{ kind: 'sqlite', table: 'a' }] };
const run = (id: string) => ({
  id,
  project: 'p',
  projectDir: '/p',
  recipeHash: 'h',
  startedAt: new Date().toISOString(),
});

describe('recipes in the run store', () => {
  it('keeps the text and the spec once per hash; the hash is the spec digest', () => {
    const s = openStore(join(dir, 'r.db'));
    const first = taskRecipe(
      loaded('name: a\nsource: {path: x.csv}\n', { source: { path: 'x.csv' }, ...sqliteOut }),
      undefined,
    );
    expect(first.hash).toBe(sha(first.spec));
    // The same recipe with a comment: the same parse, so the same hash; the first text stays.
    const commented = taskRecipe(
      loaded('# note\nname: a\nsource: {path: x.csv}\n', {
        source: { path: 'x.csv' },
        ...sqliteOut,
      }),
      undefined,
    );
    expect(commented.hash).toBe(first.hash);
    const changed = taskRecipe(
      loaded('name: a\nsource: {path: y.csv}\n', { source: { path: 'y.csv' }, ...sqliteOut }),
      undefined,
    );
    expect(changed.hash).not.toBe(first.hash);
    s.createRun(run('run_1'));
    const t1 = s.createTask('run_1', 'a', first, new Date().toISOString());
    s.createRun(run('run_2'));
    s.createTask('run_2', 'a', commented, new Date().toISOString());
    const t3 = s.createTask('run_2', 'a', changed, new Date().toISOString());
    expect(t3).toBeGreaterThan(t1);

    const kept = s.recipe(first.hash)!;
    expect(kept).toMatchObject({
      hash: first.hash,
      pipeline: 'a',
      text: 'name: a\nsource: {path: x.csv}\n',
    });
    expect(sha(kept.spec)).toBe(first.hash);
    expect(s.recipe(changed.hash)!.text).toBe('name: a\nsource: {path: y.csv}\n');
    // Each task names its recipe, and its text is read back through the hash.
    const tasks = s.getRun('run_2')!.tasks;
    expect(tasks.map((t) => s.recipe(t.recipeHash)!.text)).toEqual([
      'name: a\nsource: {path: x.csv}\n',
      'name: a\nsource: {path: y.csv}\n',
    ]);
    expect(s.recipe('0'.repeat(64))).toBeNull();
    const db = new Database(s.path, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM recipes').get() as { n: number }).n).toBe(2);
    db.close();
    s.close();
  });

  it('a task and its recipe are written together: a task whose run is unknown leaves neither', () => {
    const s = openStore(join(dir, 'atomic.db'));
    const r = taskRecipe(loaded('name: a\n', { source: { path: 'x.csv' } }), undefined);
    expect(() => s.createTask('run_none', 'a', r, new Date().toISOString())).toThrow(/FOREIGN KEY/);
    expect(s.recipe(r.hash)).toBeNull();
    s.close();
  });

  it('--target postgres makes another recipe (its loads go elsewhere); other targets keep the hash', () => {
    const lp = loaded('name: a\n', { source: { path: 'x.csv' }, ...sqliteOut });
    const plain = taskRecipe(lp, undefined);
    expect(taskRecipe(lp, 'sqlite').hash).toBe(plain.hash);
    // The digest tasks recorded before recipes were kept: a hash of the parsed pipeline.
    expect(plain.hash).toBe(sha(JSON.stringify(lp.pipeline)));
    const pg = taskRecipe(lp, 'postgres');
    expect(pg.hash).not.toBe(plain.hash);
    expect(JSON.parse(pg.spec).outputs[0].kind).toBe('postgres');
  });

  it('a store of the version before recipes migrates; its tasks have no recipe to read back', () => {
    const path = join(dir, 'v4.db');
    const db = new Database(path);
    for (let v = 0; v < 4; v++) db.exec(MIGRATIONS[v]);
    db.pragma('user_version = 4');
    db.prepare(
      `INSERT INTO runs (id, project, project_dir, status, recipe_hash, started_at, finished_at)
       VALUES ('run_old', 'p', '/p', 'succeeded', 'h', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')`,
    ).run();
    db.prepare(
      `INSERT INTO tasks (run_id, pipeline, status, recipe_hash, started_at) VALUES ('run_old', 'a', 'succeeded', 'abc', '2026-01-01T00:00:00Z')`,
    ).run();
    db.close();
    const s = openStore(path);
    expect(s.getRun('run_old')!.tasks[0].recipeHash).toBe('abc');
    expect(s.recipe('abc')).toBeNull();
    s.close();
  });
});
