/** sluice rejects <run> --retry for a run that loaded into PostgreSQL with --target postgres. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { query } from '../helpers/pg';
import { tempDir } from '../helpers/tmp';

const parent = `retry_parent_${process.pid}`;
const child = `retry_child_${process.pid}`;

afterAll(async () => {
  await query(`DROP TABLE IF EXISTS sluice."${child}", sluice."${parent}"`);
});

describe('retrying rows PostgreSQL refused', () => {
  it('records every refusal in sluice_rejects, loads the fixed rows on retry and marks them retried there', async () => {
    await query(`CREATE SCHEMA IF NOT EXISTS sluice`);
    await query(
      `CREATE TABLE sluice."${parent}" (id bigint PRIMARY KEY); INSERT INTO sluice."${parent}" VALUES (1)`,
    );
    await query(
      `CREATE TABLE sluice."${child}" (id bigint PRIMARY KEY, parent bigint REFERENCES sluice."${parent}" (id), day date)`,
    );
    const dir = tempDir();
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'sluice.yaml'), 'name: r\nstore: store.db\n');
    writeFileSync(
      join(dir, 'child.csv'),
      'id,parent,day\n1,1,1/2/2020\n2,2,1/13/2020\n3,2,2/1/2020\n4,3,2/2/2020\n2,1,2/3/2020\n',
    );
    writeFileSync(
      join(dir, 'pipelines', 'child.yaml'),
      `name: child\nsource: {path: child.csv}\nsteps:\n  - step: cast\n    columns: {id: int, parent: int}\n  - step: parse_dates\n    columns: [day]\n    formats: [M/d/yyyy]\n` +
        `outputs:\n  - {kind: sqlite, table: ${child}, key: [id], mode: append, on_violation: skip}\n`,
    );
    const store = ['--store', join(dir, 'store.db')];
    const ran = await sluiceIn(['run', dir, '--target', 'postgres', '--json']);
    const run = JSON.parse(ran.stdout) as RunReport;
    expect(run.pipelines[0].outputs[0]).toMatchObject({
      kind: 'postgres',
      inserted: 1,
      rejected: 4,
      batches: 1,
      batchRows: 2048,
    });
    const inPg = () =>
      query<{ error_type: string; status: string; id: string }>(
        `SELECT error_type, status, record->>'id' AS id FROM sluice.sluice_rejects WHERE run_id = $1 ORDER BY record->>'id', error_type`,
        [run.runId],
      );
    expect(await inPg()).toEqual([
      { error_type: 'duplicate_key', status: 'open', id: '2' },
      { error_type: 'foreign_key', status: 'open', id: '2' },
      { error_type: 'foreign_key', status: 'open', id: '3' },
      { error_type: 'foreign_key', status: 'open', id: '4' },
    ]);
    const logs = (await sluiceIn(['logs', run.runId, ...store])).stdout;
    expect(logs).toMatch(/COPY of 4 rows into staging in 1 batch of up to 2048 rows/);

    await query(`INSERT INTO sluice."${parent}" VALUES (2)`);
    const retry = await sluiceIn(['rejects', run.runId, ...store, '--retry']);
    expect(retry.stdout).toBe(`child load ${child}: 2 of 4 rows loaded, 2 still refused\n`);
    expect(
      (await query<{ id: string }>(`SELECT id FROM sluice."${child}" ORDER BY id`)).map(
        (r) => r.id,
      ),
    ).toEqual(['1', '2', '3']);
    expect(await inPg()).toEqual([
      { error_type: 'duplicate_key', status: 'open', id: '2' },
      { error_type: 'foreign_key', status: 'retried', id: '2' },
      { error_type: 'foreign_key', status: 'retried', id: '3' },
      { error_type: 'foreign_key', status: 'open', id: '4' },
    ]);
    const local = JSON.parse((await sluiceIn(['rejects', run.runId, ...store, '--json'])).stdout);
    expect(local.items.map((r: { status: string }) => r.status).sort()).toEqual([
      'open',
      'open',
      'retried',
      'retried',
    ]);
  });
});
