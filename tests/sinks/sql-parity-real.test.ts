/**
 * Parity on the real retail data: the example project's five table pipelines (every step of
 * each compiles) run over their real CSV files with the local engine and as SQL on the server,
 * and the outputs agree value for value, row for row.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src-main/io/recipe-load';
import { openCsv } from '../../src-main/io/csv-read';
import { cellValue, type Value } from '../../src-main/engine/table';
import { bothWays } from '../helpers/sql-parity';

const PROJECT = join(__dirname, '../../config/examples/global-electronics');
const DATA = join(__dirname, '../../../shared/datasets/global-electronics');

describe('SQL parity on the real data of the example project', async () => {
  const project = await loadProject(PROJECT);
  for (const name of ['customers', 'products', 'stores', 'exchange_rates', 'sales']) {
    it(name, async () => {
      const p = project.pipelines.find((x) => x.pipeline.name === name)!.pipeline;
      const src = await openCsv(join(DATA, p.source.path!), p.source);
      const fields = src.info.columns.map((n) => ({ name: n, type: 'string' as const }));
      const rows: Value[][] = [];
      for await (const b of src.batches(() => undefined))
        for (let i = 0; i < b.length; i++)
          rows.push(b.fields.map((f, c) => cellValue(b.columns[c], f.type, i)));
      const out = await bothWays(p.steps, { fields, rows });
      expect(out.compiled.fields).toEqual(out.fields);
      expect(out.local.length).toBeGreaterThan(0);
      expect(out.sql.length).toBe(out.local.length);
      // Row by row, so that a difference names its row rather than printing the whole table.
      for (let r = 0; r < out.local.length; r++)
        expect(out.sql[r], `row ${r}`).toEqual(out.local[r]);
    });
  }
});
