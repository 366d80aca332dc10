/**
 * The service holds its project's run store open while it is open: it still sees runs of other
 * processes die, stops following logs before closing the store, and reads back a run's recipes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { openStore } from '../../src-main/store/sqlite-store';
import { makeProject } from '../helpers/project';

const project = (): string =>
  makeProject(
    {
      a: 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: out/a.csv}\n',
      b: 'source: {pipeline: a}\noutputs:\n  - {kind: csv, path: out/b.csv}\n',
    },
    { name: 's', smallCsv: 'id\n1\n2\n' },
  );

let svc: SluiceService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

/** Records a running run, as another process would, owned by process `pid`. */
function otherProcessRun(store: string, dir: string, pid: number): string {
  const id = `run_other_${pid}`;
  const s = openStore(store);
  s.createRun({
    id,
    project: 's',
    projectDir: dir,
    recipeHash: 'h',
    startedAt: new Date().toISOString(),
  });
  s.close();
  const db = new Database(store);
  db.prepare('UPDATE runs SET owner_pid = ? WHERE id = ?').run(pid, id);
  db.close();
  return id;
}

describe('the service and its run store', () => {
  it('a run of another process that died after the service opened the store is told interrupted', async () => {
    const dir = project();
    svc = await SluiceService.open(dir);
    expect((await svc.handlers['runs.list']({ page: 1, page_size: 20 })).total).toBe(0);
    // A process that has exited: its id names no live process.
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const id = otherProcessRun(join(dir, 'store.db'), dir, gone);
    const got = await svc.handlers['runs.get']({ run_id: id });
    expect(got.run.status).toBe('interrupted');
  });

  it('close() stops the log follows before it closes the store', async () => {
    const dir = project();
    svc = await SluiceService.open(dir);
    // A run still going in a live process (this one, for the test): the follow would go on.
    const id = otherProcessRun(join(dir, 'store.db'), dir, process.pid);
    const lines: string[] = [];
    const { done } = await svc.followLogs(id, { every: 20 }, (l) => lines.push(l.message));
    await svc.close();
    svc = undefined;
    await expect(done).resolves.toBe('running');
  });

  it('after close(), nothing opens the store again or starts a run', async () => {
    const dir = project();
    const closed = await SluiceService.open(dir);
    await closed.handlers['runs.list']({ page: 1, page_size: 20 });
    await closed.close();
    await expect(closed.handlers['runs.start']({ only: false })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(closed.handlers['runs.list']({ page: 1, page_size: 20 })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('runs.recipe gives the hash and text of the recipe each pipeline of a run ran', async () => {
    const dir = project();
    svc = await SluiceService.open(dir);
    const { run_id } = await svc.handlers['runs.start']({ only: false });
    await svc.idle();
    expect((await svc.handlers['runs.get']({ run_id })).run.status).toBe('succeeded');
    const a = await svc.handlers['runs.recipe']({ run_id, pipeline: 'a' });
    expect(a.text).toBe(readFileSync(join(dir, 'pipelines', 'a.yaml'), 'utf8'));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.first_seen).not.toBeNull();
    const b = await svc.handlers['runs.recipe']({ run_id, pipeline: 'b' });
    expect(b.hash).not.toBe(a.hash);
    await expect(svc.handlers['runs.recipe']({ run_id, pipeline: 'zz' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
