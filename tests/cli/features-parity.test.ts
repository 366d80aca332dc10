/**
 * customer_features on the real data equals what pandas computes for the same definitions.
 * The expected figures come from resources/parity/customer_features.py (pandas, reading the raw
 * files itself), run once and pasted here; customers 301 and 325 were also checked by hand
 * against their lines in Sales.csv (325: orders 1109001, 1781006 and 1830002, 11 + 6 + 10 items,
 * first 1/13/2018, last 01-04-2020, which is January 4; reference 2021-02-21, so recency 414).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { exampleRun } from '../helpers/example-run';

const PANDAS = {
  reference_date: '2021-02-21',
  rows: 15266,
  with_orders: 11887,
  sum_total_orders: 26326,
  sum_total_quantity: 197757,
  active: 820,
  sum_tenure_days: 12373130,
  sum_recency_days: 7312194,
  mean_avg_quantity_per_order: 7.525926197,
};
const CUSTOMERS = [
  {
    CustomerKey: 301,
    total_orders: 1,
    total_quantity: 2,
    avg_quantity_per_order: 2,
    first_purchase: '2019-11-11',
    last_purchase: '2019-11-11',
    tenure_days: 468,
    recency_days: 468,
    is_active: false,
  },
  {
    CustomerKey: 325,
    total_orders: 3,
    total_quantity: 27,
    avg_quantity_per_order: 9,
    first_purchase: '2018-01-13',
    last_purchase: '2020-01-04',
    tenure_days: 1135,
    recency_days: 414,
    is_active: false,
  },
  {
    CustomerKey: 554,
    total_orders: 2,
    total_quantity: 14,
    avg_quantity_per_order: 7,
    first_purchase: '2018-01-04',
    last_purchase: '2019-12-05',
    tenure_days: 1144,
    recency_days: 444,
    is_active: false,
  },
  {
    CustomerKey: 786,
    total_orders: 0,
    total_quantity: 0,
    avg_quantity_per_order: null,
    first_purchase: null,
    last_purchase: null,
    tenure_days: null,
    recency_days: null,
    is_active: false,
  },
  {
    CustomerKey: 1269051,
    total_orders: 1,
    total_quantity: 3,
    avg_quantity_per_order: 3,
    first_purchase: '2016-01-01',
    last_purchase: '2016-01-01',
    tenure_days: 1878,
    recency_days: 1878,
    is_active: false,
  },
  {
    CustomerKey: 723572,
    total_orders: 14,
    total_quantity: 124,
    avg_quantity_per_order: 8.857142857,
    first_purchase: '2016-02-20',
    last_purchase: '2021-02-20',
    tenure_days: 1828,
    recency_days: 1,
    is_active: true,
  },
];

let dir: string;
let rows: Record<string, string>[];
let report: RunReport;

beforeAll(() => {
  // The example project's one run on the real data, shared with other tests (read only).
  ({ dir, report } = exampleRun());
  rows = Papa.parse<Record<string, string>>(
    readFileSync(join(dir, 'out', 'customer_features.csv'), 'utf8'),
    { header: true, skipEmptyLines: true },
  ).data;
});

const num = (s: string): number | null => (s === '' ? null : Number(s));

describe('customer_features on the real data', () => {
  it('runs after the tables it depends on, with balanced books', () => {
    const order = report.pipelines.map((p) => p.name);
    for (const dep of ['customers', 'customer_orders', 'sales_reference'])
      expect(order.indexOf(dep)).toBeLessThan(order.indexOf('customer_features'));
    for (const p of report.pipelines)
      expect(p.rowsIn + p.rowsAdded).toBe(
        p.rowsOut + p.rowsRejected + p.rowsRemoved + p.rowsMerged,
      );
    const orders = report.pipelines.find((p) => p.name === 'customer_orders')!;
    expect(orders).toMatchObject({ rowsIn: 62884, rowsOut: 11887, rowsMerged: 62884 - 11887 });
  });

  it('matches pandas over all customers', () => {
    expect(rows).toHaveLength(PANDAS.rows);
    expect(new Set(rows.map((r) => r.reference_date))).toEqual(new Set([PANDAS.reference_date]));
    const sum = (k: string) => rows.reduce((s, r) => s + (num(r[k]) ?? 0), 0);
    expect(rows.filter((r) => Number(r.total_orders) > 0)).toHaveLength(PANDAS.with_orders);
    expect(sum('total_orders')).toBe(PANDAS.sum_total_orders);
    expect(sum('total_quantity')).toBe(PANDAS.sum_total_quantity);
    expect(sum('tenure_days')).toBe(PANDAS.sum_tenure_days);
    expect(sum('recency_days')).toBe(PANDAS.sum_recency_days);
    expect(rows.filter((r) => r.is_active === 'true')).toHaveLength(PANDAS.active);
    const avgs = rows
      .map((r) => num(r.avg_quantity_per_order))
      .filter((v): v is number => v !== null);
    expect(avgs.reduce((s, v) => s + v, 0) / avgs.length).toBeCloseTo(
      PANDAS.mean_avg_quantity_per_order,
      8,
    );
  });

  it('matches pandas customer by customer, including one without orders', () => {
    const byKey = new Map(rows.map((r) => [Number(r.CustomerKey), r]));
    for (const want of CUSTOMERS) {
      const r = byKey.get(want.CustomerKey)!;
      expect({
        CustomerKey: Number(r.CustomerKey),
        total_orders: Number(r.total_orders),
        total_quantity: Number(r.total_quantity),
        avg_quantity_per_order:
          r.avg_quantity_per_order === ''
            ? null
            : Number(Number(r.avg_quantity_per_order).toFixed(9)),
        first_purchase: r.first_purchase || null,
        last_purchase: r.last_purchase || null,
        tenure_days: num(r.tenure_days),
        recency_days: num(r.recency_days),
        is_active: r.is_active === 'true',
      }).toEqual(want);
    }
  });
});
