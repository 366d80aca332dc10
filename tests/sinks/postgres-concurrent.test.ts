/**
 * PostgreSQL loads that meet each other: first loads into a schema that does not exist yet,
 * two loads into one table, and a load whose rows the database mostly refuses.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostgresOutput } from '../../src-shared/recipe/pipeline';
import type { RunReport } from '../../src-shared/recipe/result';
import { batchFromRows, numColumn, type Batch } from '../../src-main/engine/table';
import { PostgresSink } from '../../src-main/sinks/postgres-sink';
import { sluice } from '../helpers/cli';
import { DATABASE_URL, query, testSchema } from '../helpers/pg';
import { tempDir } from '../helpers/tmp';

/** Rows (id, name) numbered from..from+n-1, names `${tag}${id}`, row id on line id + 1. */
function rows(from: number, n: number, tag: string): Batch {
  const b = batchFromRows(
    ['id', 'name'],
    Array.from({ length: n }, (_, i) => [null, `${tag}${from + i}`]),
    from + 1,
  );
  const id = numColumn(n);
  for (let i = 0; i < n; i++) {
    id.values[i] = from + i;
    id.valid[i] = 1;
  }
  b.columns[0] = id;
  b.fields = [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'string' },
  ];
  return b;
}

/** A sink with its rows written (the COPY done), ready to commit. */
async function staged(
  schema: string,
  table: string,
  out: object,
  b: Batch,
  log?: (m: string) => void,
) {
  const rejects: string[] = [];
  const sink = new PostgresSink(
    PostgresOutput.parse({ kind: 'postgres', schema, table, ...out }),
    { url: DATABASE_URL, runId: 'r1', pipeline: table, log },
    (_b, row, rule) => rejects.push(`${row}:${rule}`),
    (r, rule) => rejects.push(`line ${r.line}:${rule}`),
  );
  await sink.open(b.fields);
  sink.write(b);
  await sink.flush();
  const commit = async () => {
    try {
      return { report: await sink.commit(), rejects };
    } catch (e) {
      await sink.abort();
      throw e;
    }
  };
  return { sink, commit };
}

async function load(schema: string, table: string, out: object, b: Batch) {
  return (await staged(schema, table, out, b)).commit();
}

const count = async (schema: string, table: string) =>
  (await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`))[0].n;

describe('first loads into a fresh PostgreSQL schema', () => {
  const schema = testSchema();
  const fresh = testSchema();
  const dir = tempDir();

  it('eight loads at once into a schema that does not exist all succeed, five times over', async () => {
    for (let round = 0; round < 5; round++) {
      await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, t) => load(schema, `t${t}`, {}, rows(1, 10, 'x'))),
      );
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failed, `round ${round}`).toEqual([]);
      for (let t = 0; t < 8; t++) expect(await count(schema, `t${t}`)).toBe(10);
    }
  });

  it('sluice run: several pipelines loading in parallel into a new schema, twice over', async () => {
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'sluice.yaml'), 'name: fresh\nstore: store.db\n');
    writeFileSync(join(dir, 'in.csv'), 'id,name\n1,a\n2,b\n3,c\n');
    const names = ['p1', 'p2', 'p3', 'p4'];
    for (const p of names)
      writeFileSync(
        join(dir, 'pipelines', `${p}.yaml`),
        `name: ${p}\nsource: {path: in.csv}\nsteps:\n  - step: cast\n    columns: {id: int}\n` +
          `outputs:\n  - {kind: postgres, schema: ${fresh}, table: ${p}, key: [id]}\n`,
      );
    for (let round = 0; round < 2; round++) {
      await query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
      const r = sluice(['run', dir, '--workers', '4', '--json']);
      const rep = JSON.parse(r.stdout) as RunReport;
      expect(
        rep.pipelines.map((p) => [p.name, p.status, p.error?.message]),
        `round ${round}`,
      ).toEqual(names.map((n) => [n, 'succeeded', undefined]));
      expect(r.code).toBe(0);
      for (const p of names) expect(await count(fresh, p)).toBe(3);
    }
  });
});

describe('two loads into one PostgreSQL table', () => {
  const schema = testSchema();

  it('two full loads at once: the second waits for the first and replaces its rows, no false unique violation', async () => {
    await load(schema, 'both', { key: ['id'] }, rows(1, 1000, 'old'));
    for (const on_violation of ['stop', 'skip']) {
      const log: string[] = [];
      let bWaits = (): void => undefined;
      const waiting = new Promise<void>((r) => (bWaits = r));
      const logged = (m: string): void => {
        log.push(m);
        if (/waiting for another load/.test(m)) bWaits();
      };
      const out = { key: ['id'], mode: 'full', on_violation };
      // The first full load finds the table free and COPYs straight into it, holding its lock
      // from the start; the second, finding it busy, stages its rows and waits at commit.
      const a = await staged(schema, 'both', out, rows(1, 20_000, 'a'), logged);
      const b = await staged(schema, 'both', out, rows(1, 20_000, 'b'), logged);
      const t0 = performance.now();
      const rbDone = b.commit();
      await waiting;
      const [ra, rb] = await Promise.all([a.commit(), rbDone]);
      const ms = performance.now() - t0;
      console.log(
        `two contended full loads of 20,000 rows (${on_violation}): ${Math.round(ms)} ms`,
      );
      for (const r of [ra, rb]) {
        expect(r.report).toMatchObject({ rows: 20_000, inserted: 20_000, rejected: 0 });
        expect(r.rejects).toEqual([]);
      }
      const names = await query<{ tag: string; n: number }>(
        `SELECT left(name, 1) AS tag, count(*)::int AS n FROM "${schema}".both GROUP BY 1`,
      );
      // All rows come from one of the two loads, never a mix.
      expect(names).toHaveLength(1);
      expect(names[0].n).toBe(20_000);
      expect(log.some((l) => /waited .* for another load into .*both/.test(l))).toBe(true);
    }
  });

  it('two incremental loads by watermark at once: the second skips what the first loaded', async () => {
    const out = { mode: 'incremental', watermark: 'id' };
    await load(schema, 'marked', out, rows(1, 10, 'old'));
    const a = await staged(schema, 'marked', out, rows(1, 100, 'a'));
    const b = await staged(schema, 'marked', out, rows(1, 150, 'b'));
    expect((await a.commit()).report).toMatchObject({ rows: 100, inserted: 90, skipped: 10 });
    expect((await b.commit()).report).toMatchObject({ rows: 150, inserted: 50, skipped: 100 });
    expect(
      await query(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM "${schema}".marked`,
      ),
    ).toEqual([{ n: 150, ids: 150 }]);
    expect(
      await query(`SELECT value FROM "${schema}".sluice_watermarks WHERE target = 'marked'`),
    ).toEqual([{ value: 150 }]);
  });

  it('isolates a few refused rows, but stops a search that would take thousands of savepoints with a clear error', async () => {
    await query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await query(
      `CREATE TABLE "${schema}".picky (id bigint PRIMARY KEY, name text CHECK (name NOT LIKE 'bad%'))`,
    );
    const few = rows(1, 5000, 'ok');
    for (const i of [10, 2000, 4999]) (few.columns[1].values as (string | null)[])[i] = 'bad';
    const r = await load(schema, 'picky', { mode: 'append', on_violation: 'skip' }, few);
    expect(r.report).toMatchObject({ rows: 5000, inserted: 4997, rejected: 3 });

    const t0 = performance.now();
    await expect(
      load(schema, 'picky', { mode: 'full', on_violation: 'skip' }, rows(1, 20_000, 'bad')),
    ).rejects.toThrow(
      /picky: PostgreSQL refused more rows than a load isolates one by one \(\d+ refused after 2,000 savepoints, the first on line 2 \(check\).*\); the load was rolled back/,
    );
    console.log(
      `bounded search over 20,000 refused rows: ${Math.round(performance.now() - t0)} ms`,
    );
    expect(await count(schema, 'picky')).toBe(4997);
  });
});

describe('a full PostgreSQL load straight into its table', () => {
  const schema = testSchema();

  it('when the database refuses rows mid-COPY, replays the rest into staging: refused rows named by line, the others loaded, nothing kept on disk', async () => {
    await query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await query(
      `CREATE TABLE "${schema}".checked (id bigint PRIMARY KEY, name text CHECK (name NOT LIKE 'bad%'))`,
    );
    await load(schema, 'checked', { mode: 'full' }, rows(1, 10, 'old'));
    const rejects: string[] = [];
    const log: string[] = [];
    const sink = new PostgresSink(
      PostgresOutput.parse({
        kind: 'postgres',
        schema,
        table: 'checked',
        mode: 'full',
        on_violation: 'skip',
      }),
      { url: DATABASE_URL, runId: 'r1', pipeline: 'checked', log: (m) => log.push(m) },
      (_b, row, rule) => rejects.push(`${row}:${rule}`),
      (r, rule) => rejects.push(`line ${r.line}:${rule}`),
    );
    await sink.open(rows(1, 1, 'x').fields);
    let report;
    try {
      // Many batches written before the first flush: the COPY fails with rows still queued.
      for (let from = 1; from <= 200_000; from += 2000) {
        const b = rows(from, 2000, 'ok');
        if (from === 1) (b.columns[1].values as (string | null)[])[2] = 'bad';
        if (from === 150_001) (b.columns[1].values as (string | null)[])[5] = 'bad';
        sink.write(b);
      }
      await sink.flush();
      report = await sink.commit();
    } catch (e) {
      await sink.abort();
      throw e;
    }
    expect(report).toMatchObject({ rows: 200_000, inserted: 199_998, rejected: 2 });
    expect(rejects).toEqual(['line 4:check', 'line 150007:check']);
    expect(await count(schema, 'checked')).toBe(199_998);
    expect(log.some((l) => /refused a row of the COPY .*staged to find/.test(l))).toBe(true);
    expect(
      readdirSync(tmpdir()).filter((f) => f.startsWith(`sluice-copy-${process.pid}-`)),
    ).toEqual([]);
  });
});
