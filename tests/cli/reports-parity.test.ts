/**
 * The earlier system's report tables, as pipelines of the example project, equal what pandas
 * computes for the same definitions on the real data. tests/fixtures/parity/reports.json was
 * written by resources/parity/reports.py (pandas reading the raw files itself). Sluice rounds
 * money to cents and rates to six places in the reports, hence the tolerances.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { exampleRun } from '../helpers/example-run';

interface Expected {
  rows: number;
  columns: string[];
  head: (string | number | null)[][];
  sums: Record<string, number>;
}
const PANDAS = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'parity', 'reports.json'), 'utf8'),
) as Record<string, Expected>;
const TOLERANCE: Record<string, number> = { mean_rate: 1e-6, std_rate: 1e-6 };
let dir: string;
let report: RunReport;

beforeAll(() => {
  // The example project's one run on the real data, shared with other tests (read only).
  ({ dir, report } = exampleRun());
});

function read(name: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(
    readFileSync(join(dir, 'out', 'reports', `${name}.csv`), 'utf8'),
    { header: true, skipEmptyLines: true },
  ).data;
}

describe('report tables on the real data', () => {
  it('run after the table pipelines they read', () => {
    const order = report.pipelines.map((p) => p.name);
    for (const p of report.pipelines.filter((x) => x.name.startsWith('report_'))) {
      expect(p.status).toBe('succeeded');
      expect(order.indexOf(p.name)).toBeGreaterThan(
        Math.min(order.indexOf('sales'), order.indexOf('customers')),
      );
    }
  });

  for (const [name, want] of Object.entries(PANDAS)) {
    it(`${name} equals pandas`, () => {
      const rows = read(name);
      expect(rows).toHaveLength(want.rows);
      want.head.forEach((expected, r) => {
        want.columns.forEach((col, c) => {
          const got = rows[r][col];
          const e = expected[c];
          if (typeof e === 'number')
            expect(
              Math.abs(Number(got) - e),
              `${name} row ${r} ${col}: ${got} vs ${e}`,
            ).toBeLessThanOrEqual(TOLERANCE[col] ?? 0.006);
          else expect(got, `${name} row ${r} ${col}`).toBe(e ?? '');
        });
      });
      for (const [col, sum] of Object.entries(want.sums)) {
        const total = rows.reduce((s, r) => s + (r[col] === '' ? 0 : Number(r[col])), 0);
        expect(Math.abs(total - sum), `${name} sum of ${col}`).toBeLessThanOrEqual(
          (TOLERANCE[col] ?? 0.006) * want.rows,
        );
      }
    });
  }
});
