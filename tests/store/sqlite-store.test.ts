import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/sqlite-store';
import { MIGRATIONS } from '../../src-main/store/migrations';
import type { PipelineReport, RunReport } from '../../src-shared/recipe/result';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();

function report(name: string, status: 'succeeded' | 'failed'): PipelineReport {
  const t = new Date().toISOString();
  return {
    name,
    status,
    startedAt: t,
    finishedAt: t,
    source: { path: '/x.csv', encoding: 'utf-8', delimiter: ',', header: true, rowsRead: 3 },
    rowsIn: 3,
    rowsOut: 2,
    rowsRejected: 1,
    rowsRemoved: 0,
    rowsMerged: 0,
    rowsAdded: 0,
    outputs: [],
    steps: [],
  };
}

describe('sqlite run store', () => {
  it('migrates a new file to the latest version, in WAL mode', () => {
    const path = join(dir, 'a.db');
    openStore(path).close();
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual([
      'logs',
      'metrics',
      'recipe_versions',
      'recipes',
      'rejects',
      'runs',
      'step_tasks',
      'tasks',
    ]);
    db.close();
    openStore(path).close();
  });

  it('refuses a store from a newer version', () => {
    const path = join(dir, 'newer.db');
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openStore(path)).toThrow(/newer than this Sluice/);
  });

  it('records runs, tasks, logs, rejects and lists them with filters and pages', () => {
    const s = openStore(join(dir, 'b.db'));
    for (let i = 0; i < 25; i++) {
      const id = `run_${String(i).padStart(2, '0')}`;
      s.createRun({
        id,
        project: 'p',
        projectDir: '/p',
        recipeHash: 'h',
        startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      });
      const task = s.createTask(
        id,
        i % 2 ? 'sales' : 'customers',
        { hash: 'h', text: '', spec: '{}' },
        new Date().toISOString(),
      );
      const st = i % 5 === 0 ? 'failed' : 'succeeded';
      s.finishTask(task, st, report(i % 2 ? 'sales' : 'customers', st), [
        {
          name: '1:trim',
          kind: 'trim',
          rowsIn: 3,
          rowsOut: 3,
          rowsRejected: 0,
          rowsRemoved: 0,
          rowsMerged: 0,
          rowsAdded: 0,
          removedReasons: {},
          cellsChanged: 1,
          warnings: [],
          ms: 1,
        },
      ]);
      s.log(id, task, 'info', `line ${i}`);
      s.addRejects(id, task, 'sales', [
        {
          kind: 'rejected',
          source: '/x.csv',
          line: 7,
          lineEnd: 7,
          raw: 'a,b',
          step: 'read',
          rule: 'ragged_row',
          reason: 'expected 3 fields, found 2',
          record: null,
        },
      ]);
      s.finishRun(id, st, { runId: id } as RunReport);
    }
    const first = s.listRuns({ pageSize: 10 });
    expect(first).toMatchObject({ total: 25, page: 1, pageSize: 10, hasNext: true });
    expect(first.items[0].id).toBe('run_24');
    expect(s.listRuns({ page: 3, pageSize: 10 }).items).toHaveLength(5);
    expect(s.listRuns({ status: 'failed' }).total).toBe(5);
    expect(s.listRuns({ pipeline: 'sales' }).total).toBe(12);
    const got = s.getRun('run_03')!;
    expect(got.tasks[0]).toMatchObject({ pipeline: 'sales', status: 'succeeded' });
    expect(s.logs('run_03')).toEqual([
      expect.objectContaining({ level: 'info', message: 'line 3', pipeline: 'sales' }),
    ]);
    const rej = s.rejects('run_03');
    expect(rej.total).toBe(1);
    expect(rej.items[0]).toMatchObject({ line: 7, raw: 'a,b', rule: 'ragged_row' });
    expect(rej.items[0].recordHash).toMatch(/^[0-9a-f]{32}$/);
    s.close();
  });

  it('keeps the last N log lines in order', () => {
    const s = openStore(join(dir, 'c.db'));
    s.createRun({
      id: 'r',
      project: 'p',
      projectDir: '/p',
      recipeHash: 'h',
      startedAt: new Date().toISOString(),
    });
    for (let i = 0; i < 10; i++) s.log('r', null, 'info', `m${i}`);
    expect(s.logs('r', 3).map((l) => l.message)).toEqual(['m7', 'm8', 'm9']);
    // Following a log reads only what came after the last line it saw.
    const all = s.logsAfter('r', 0);
    expect(all.map((l) => l.message)).toEqual(s.logs('r').map((l) => l.message));
    const after = s.logsAfter('r', all[7].id);
    expect(after.map((l) => l.message)).toEqual(['m8', 'm9']);
    s.log('r', null, 'warn', 'm10');
    expect(s.logsAfter('r', all[9].id)).toMatchObject([{ level: 'warn', message: 'm10' }]);
    s.close();
  });

  it("records a run's target; a store from before targets migrates with none for its runs", () => {
    const path = join(dir, 'v5.db');
    const db = new Database(path);
    for (let v = 0; v < 5; v++) db.exec(MIGRATIONS[v]);
    db.pragma('user_version = 5');
    db.prepare(
      `INSERT INTO runs (id, project, project_dir, status, recipe_hash, started_at)
       VALUES ('run_old', 'p', '/p', 'succeeded', 'h', '2026-01-01T00:00:00Z')`,
    ).run();
    db.close();
    const s = openStore(path);
    expect(s.getRun('run_old')!.run.target).toBeNull();
    const at = new Date().toISOString();
    s.createRun({
      id: 'run_new',
      project: 'p',
      projectDir: '/p',
      recipeHash: 'h',
      startedAt: at,
      target: 'postgres:wh',
    });
    expect(s.getRun('run_new')!.run.target).toBe('postgres:wh');
    s.close();
  });
});
