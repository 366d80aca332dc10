/**
 * A NUL byte (U+0000) in a text cell: PostgreSQL cannot store it, so every database load refuses
 * that row alone, naming the column, and loads the rest (SQLite too, so a recipe behaves the same
 * whichever database it loads into).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PostgresOutput, SqliteOutput } from '../../src-shared/recipe/pipeline';
import type { RunReport } from '../../src-shared/recipe/result';
import { batchFromRows, type Batch } from '../../src-main/engine/table';
import { PostgresSink } from '../../src-main/sinks/postgres-sink';
import { SqliteSink } from '../../src-main/sinks/sqlite-sink';
import type { Sink } from '../../src-main/sinks/sink';
import { sluiceIn } from '../helpers/cli';
import { DATABASE_URL, query, testSchema } from '../helpers/pg';
import { tempDir } from '../helpers/tmp';

const schema = testSchema();
const dir = tempDir();

/** Lines 2..4: the middle row has a NUL in "note". */
const batch = (): Batch =>
  batchFromRows(
    ['id', 'note'],
    [
      ['1', 'fine'],
      ['2', 'cut\0here'],
      ['3', 'also fine'],
    ],
  );

async function load(make: (rejects: string[]) => Sink) {
  const rejects: string[] = [];
  const sink = make(rejects);
  const b = batch();
  await sink.open(b.fields);
  sink.write(b);
  await sink.flush?.();
  return { report: await sink.commit(), rejects };
}

const reason = (db: string) =>
  new RegExp(`^line 3:nul_byte:nul: note: text contains a NUL byte \\(U\\+0000\\), which ${db}`);

describe('a NUL byte in a text cell', () => {
  it('PostgreSQL: that row is refused with a reason naming the column; the rest load', async () => {
    const r = await load(
      (rejects) =>
        new PostgresSink(
          PostgresOutput.parse({ kind: 'postgres', schema, table: 'nul', on_violation: 'skip' }),
          { url: DATABASE_URL, runId: 'nul-run', pipeline: 'p' },
          (b, row, rule, why) => rejects.push(`line ${b.line[row]}:${rule}:${why}`),
          (x, rule, why) => rejects.push(`line ${x.line}:${rule}:${why}`),
        ),
    );
    expect(r.report).toMatchObject({ rows: 3, inserted: 2, rejected: 1 });
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatch(reason('PostgreSQL cannot store'));
    expect(await query(`SELECT id, note FROM "${schema}".nul ORDER BY id`)).toEqual([
      { id: '1', note: 'fine' },
      { id: '3', note: 'also fine' },
    ]);
    // sluice_rejects keeps the record (jsonb cannot hold U+0000 either: U+FFFD in its place).
    expect(
      await query(
        `SELECT error_type, record FROM "${schema}".sluice_rejects WHERE run_id = 'nul-run'`,
      ),
    ).toEqual([{ error_type: 'nul_byte', record: { id: '2', note: 'cut\uFFFDhere' } }]);
  });

  it('SQLite: refused the same way', async () => {
    const path = join(dir, 'nul.sqlite');
    const r = await load(
      (rejects) =>
        new SqliteSink(
          path,
          SqliteOutput.parse({ kind: 'sqlite', table: 'nul', on_violation: 'skip' }),
          (b, row, rule, why) => rejects.push(`line ${b.line[row]}:${rule}:${why}`),
          (x, rule, why) => rejects.push(`line ${x.line}:${rule}:${why}`),
        ),
    );
    expect(r.report).toMatchObject({ rows: 3, inserted: 2, rejected: 1 });
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatch(reason('SQLite'));
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT id, note FROM nul ORDER BY id').all()).toEqual([
      { id: '1', note: 'fine' },
      { id: '3', note: 'also fine' },
    ]);
    db.close();
  });

  it('sluice run with a postgres output: the run succeeds, the row is among the rejects, not an internal error', async () => {
    const p = join(dir, 'proj');
    mkdirSync(join(p, 'pipelines'), { recursive: true });
    writeFileSync(join(p, 'sluice.yaml'), 'name: nul\nstore: store.db\n');
    writeFileSync(join(p, 'in.csv'), 'id,note\n1,fine\n2,cut\0here\n3,also fine\n');
    writeFileSync(
      join(p, 'pipelines', 'nul.yaml'),
      `name: nul\nsource: {path: in.csv}\nsteps:\n  - step: cast\n    columns: {id: int}\n` +
        `outputs:\n  - {kind: postgres, schema: ${schema}, table: nul_run, on_violation: skip}\n`,
    );
    const r = await sluiceIn(['run', p, '--json']);
    const rep = JSON.parse(r.stdout) as RunReport;
    expect(rep.pipelines[0].error).toBeUndefined();
    expect(rep.pipelines[0].outputs[0]).toMatchObject({ rows: 3, inserted: 2, rejected: 1 });
    const rejects = JSON.parse(
      (await sluiceIn(['rejects', rep.runId, '--store', join(p, 'store.db'), '--json'])).stdout,
    );
    expect(rejects.items).toHaveLength(1);
    expect(rejects.items[0]).toMatchObject({ line: 3, rule: 'nul_byte' });
    expect(rejects.items[0].reason).toMatch(/note: text contains a NUL byte \(U\+0000\)/);
    expect(await query(`SELECT count(*)::int AS n FROM "${schema}".nul_run`)).toEqual([{ n: 2 }]);
  });
});
