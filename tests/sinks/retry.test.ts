/** sluice rejects <run> --retry: rows a database refused load once the cause is fixed. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('retrying refused rows', () => {
  it('loads the rows once the missing parent exists, marks them retried, and keeps the still-refused open', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pipelines'));
    mkdirSync(join(dir, 'out'));
    const dbPath = join(dir, 'out', 'db.sqlite');
    const db = new Database(dbPath);
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY); INSERT INTO parent VALUES (1);
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id), day TEXT)`);
    db.close();
    writeFileSync(join(dir, 'sluice.yaml'), 'name: r\nstore: store.db\n');
    writeFileSync(
      join(dir, 'child.csv'),
      'id,parent,day\n1,1,1/2/2020\n2,2,1/13/2020\n3,2,2/1/2020\n4,3,2/2/2020\n',
    );
    writeFileSync(
      join(dir, 'pipelines', 'child.yaml'),
      `name: child\nsource: {path: child.csv}\nsteps:\n  - step: cast\n    columns: {id: int, parent: int}\n  - step: parse_dates\n    columns: [day]\n    formats: [M/d/yyyy]\noutputs:\n  - {kind: sqlite, path: out/db.sqlite, table: child, mode: full, on_violation: skip}\n`,
    );
    const run = JSON.parse((await sluiceIn(['run', dir, '--json'])).stdout) as RunReport;
    expect(run.pipelines[0].outputs[0]).toMatchObject({ inserted: 1, rejected: 3 });
    const rejects = JSON.parse(
      (await sluiceIn(['rejects', run.runId, '--store', join(dir, 'store.db'), '--json'])).stdout,
    );
    expect(rejects.items.map((r: { rule: string; status: string }) => [r.rule, r.status])).toEqual([
      ['foreignkey', 'open'],
      ['foreignkey', 'open'],
      ['foreignkey', 'open'],
    ]);

    new Database(dbPath).exec('INSERT INTO parent VALUES (2)');
    const retry = await sluiceIn([
      'rejects',
      run.runId,
      '--store',
      join(dir, 'store.db'),
      '--retry',
    ]);
    expect(retry.stdout).toBe('child load child: 2 of 3 rows loaded, 1 still refused\n');
    expect(retry.code).toBe(1);
    const rows = new Database(dbPath, { readonly: true })
      .prepare('SELECT * FROM child ORDER BY id')
      .all();
    expect(rows).toEqual([
      { id: 1, parent: 1, day: '2020-01-02' },
      { id: 2, parent: 2, day: '2020-01-13' },
      { id: 3, parent: 2, day: '2020-02-01' },
    ]);
    const after = JSON.parse(
      (await sluiceIn(['rejects', run.runId, '--store', join(dir, 'store.db'), '--json'])).stdout,
    );
    expect(after.items.map((r: { status: string }) => r.status)).toEqual([
      'retried',
      'retried',
      'open',
    ]);

    new Database(dbPath).exec('INSERT INTO parent VALUES (3)');
    expect(
      (await sluiceIn(['rejects', run.runId, '--store', join(dir, 'store.db'), '--retry'])).stdout,
    ).toBe('child load child: 1 of 1 rows loaded, 0 still refused\n');
    expect(
      (await sluiceIn(['rejects', run.runId, '--store', join(dir, 'store.db'), '--retry'])).stdout,
    ).toBe(`run ${run.runId} has no open rows refused by a database\n`);
  });
});
