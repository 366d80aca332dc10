/** The example project loads its five tables into PostgreSQL with --target postgres. */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { query } from '../helpers/pg';
import { SHARED, tempDir } from '../helpers/tmp';

describe('sluice run --target postgres', () => {
  it('loads the real tables into schema sluice with the source row counts, and a re-run replaces them', async () => {
    const dir = tempDir();
    const example = join(__dirname, '..', '..', 'config', 'examples', 'global-electronics');
    cpSync(join(example, 'sluice.yaml'), join(dir, 'sluice.yaml'));
    cpSync(join(example, 'pipelines'), join(dir, 'pipelines'), { recursive: true });
    const tables = ['customers', 'products', 'sales', 'exchange_rates', 'stores'];
    const args = [
      'run',
      dir,
      '--data',
      SHARED,
      '--target',
      'postgres',
      '--json',
      '--store',
      join(dir, 'store.db'),
      ...tables.flatMap((t) => ['--pipeline', t]),
      '--only',
    ];
    let runId = '';
    for (let i = 0; i < 2; i++) {
      const r = await sluiceIn(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const rep = JSON.parse(r.stdout) as RunReport;
      for (const p of rep.pipelines)
        expect(p.outputs[1]).toMatchObject({
          kind: 'postgres',
          table: p.name,
          inserted: p.rowsOut,
          rejected: 0,
        });
      runId = rep.runId;
    }
    // Resuming with the same target reuses every load: the target is part of each recipe hash,
    // so a resume that dropped it would load everything again, into SQLite.
    const resumed = await sluiceIn([
      'run',
      dir,
      '--resume',
      runId,
      '--data',
      SHARED,
      '--target',
      'postgres',
      '--json',
      '--store',
      join(dir, 'store.db'),
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const again = JSON.parse(resumed.stdout) as RunReport;
    expect(again.pipelines.map((p) => [p.name, p.reusedFrom])).toEqual(
      tables.map((t) => [t, runId]),
    );
    return Promise.all(
      [
        ['customers', 15266],
        ['products', 2517],
        ['sales', 62884],
        ['exchange_rates', 11215],
        ['stores', 67],
      ].map(async ([t, n]) =>
        expect(await query(`SELECT count(*)::int AS n FROM sluice."${t}"`)).toEqual([{ n }]),
      ),
    );
  });
});
