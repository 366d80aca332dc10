/**
 * Golden tests on the real retail data: `sluice import` on the five CSVs, then `sluice run`,
 * must lose no row, decode every name, turn every date into the right ISO date and every
 * price into a number. Expected values were read off the raw files by hand (and checked with
 * Python's csv module, decoding Customers.csv as cp1252).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { SHARED, tempDir } from '../helpers/tmp';

const FILES = ['Customers', 'Products', 'Stores', 'Exchange_Rates', 'Sales'];
const ROWS: Record<string, number> = {
  customers: 15266,
  products: 2517,
  stores: 67,
  exchange_rates: 11215,
  sales: 62884,
};

const dir = tempDir();
const project = join(dir, 'project');
let report: RunReport;

function output(name: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(
    readFileSync(join(project, 'out', `${name}.csv`), 'utf8'),
    { header: true, skipEmptyLines: true },
  ).data;
}

beforeAll(async () => {
  const imp = await sluiceIn([
    'import',
    ...FILES.map((f) => join(SHARED, `${f}.csv`)),
    '--into',
    project,
  ]);
  expect(imp.stderr).toBe('');
  expect(imp.code).toBe(0);
  const run = await sluiceIn(['run', project, '--json', '--store', join(dir, 'store.db')]);
  expect(run.code).toBe(0);
  report = JSON.parse(run.stdout) as RunReport;
});

describe('import + run on the real global-electronics files', () => {
  it('loses no row', () => {
    expect(report.status).toBe('succeeded');
    for (const p of report.pipelines) {
      expect(p.rowsIn, p.name).toBe(ROWS[p.name]);
      expect(p.rowsOut, p.name).toBe(ROWS[p.name]);
      expect(p.rowsRejected + p.rowsRemoved, p.name).toBe(0);
      expect(p.outputs[0].path).toBe(join(project, 'out', `${p.name}.csv`));
      expect(output(p.name)).toHaveLength(ROWS[p.name]);
    }
  });

  it('reads Customers.csv as windows-1252 and decodes every name', () => {
    // An independent decode: Latin-1 plus the 0x80-0x9F row of the windows-1252 table.
    const c1: Record<number, string> = {
      0x80: '€',
      0x8a: 'Š',
      0x8e: 'Ž',
      0x9a: 'š',
      0x9e: 'ž',
      0x9f: 'Ÿ',
      0x8c: 'Œ',
      0x9c: 'œ',
    };
    const bytes = readFileSync(join(SHARED, 'Customers.csv'));
    const raw = Array.from(bytes, (b) => {
      if (b >= 0x80 && b < 0xa0 && !c1[b])
        throw new Error(`byte 0x${b.toString(16)} needs a table entry in this test`);
      return c1[b] ?? String.fromCharCode(b);
    }).join('');
    const src = Papa.parse<Record<string, string>>(raw, {
      header: true,
      skipEmptyLines: true,
    }).data;
    const out = output('customers');
    expect(report.pipelines.find((p) => p.name === 'customers')!.source.encoding).toBe(
      'windows-1252',
    );
    expect(out.map((r) => [r.CustomerKey, r.Name, r.City])).toEqual(
      src.map((r) => [r.CustomerKey, r.Name.trim(), r.City.trim()]),
    );
    const byKey = new Map(out.map((r) => [r.CustomerKey, r]));
    expect(byKey.get('400009')).toMatchObject({
      Name: 'Sven Mahler',
      City: 'Fürstenberg',
      State: 'Brandenburg',
    });
    expect(byKey.get('729681')).toMatchObject({ 'State Code': 'NA', State: 'Napoli' });
    expect(byKey.get('647425')).toMatchObject({
      Name: 'Laurence Léveillé',
      City: "L'HAŸ-LES-ROSES",
    });
    expect(byKey.get('886563')!.Name).toBe('Miloš Hooijenga');
    const suspicious = /[\u0080-\u009f\ufffd]|Ã/;
    expect(out.filter((r) => suspicious.test(r.Name + r.City + r.State))).toEqual([]);
  });

  it('turns every date into the right ISO date (month first in both renderings)', () => {
    const customers = new Map(output('customers').map((r) => [r.CustomerKey, r.Birthday]));
    expect(customers.get('301')).toBe('1939-07-03'); // raw 07-03-1939
    expect(customers.get('325')).toBe('1979-09-27'); // raw 9/27/1979
    const sales = output('sales');
    const iso = /^\d{4}-\d{2}-\d{2}$/;
    let previous = '';
    for (const r of sales) {
      expect(r['Order Date']).toMatch(iso);
      // Order numbers grow with time: only the right day/month order keeps dates in step.
      expect(r['Order Date'] >= previous).toBe(true);
      previous = r['Order Date'];
      if (r['Delivery Date']) {
        expect(r['Delivery Date']).toMatch(iso);
        expect(r['Delivery Date'] >= r['Order Date']).toBe(true);
      }
    }
    expect(sales.filter((r) => r['Delivery Date'] === '')).toHaveLength(49719);
    expect(sales[1]).toMatchObject({
      'Order Number': '366001',
      'Order Date': '2016-01-01',
      'Delivery Date': '2016-01-13',
    });
    const rates = output('exchange_rates');
    expect(rates[0]).toEqual({ Date: '2015-01-01', Currency: 'USD', Exchange: '1' });
    for (const r of rates) expect(r.Date).toMatch(iso);
    const stores = new Map(output('stores').map((r) => [r.StoreKey, r]));
    expect(stores.get('2')!['Open Date']).toBe('2008-01-12'); // raw 01-12-2008
  });

  it('turns every price into a number', () => {
    const products = output('products');
    expect(products[0]).toMatchObject({
      ProductKey: '1',
      'Unit Cost USD': '6.62',
      'Unit Price USD': '12.99',
    });
    for (const r of products) {
      expect(r['Unit Cost USD']).toMatch(/^\d+(\.\d+)?$/);
      expect(r['Unit Price USD']).toMatch(/^\d+(\.\d+)?$/);
    }
    const big = products.find((r) => Number(r['Unit Price USD']) > 1000)!;
    expect(Number(big['Unit Price USD'])).toBeGreaterThan(1000);
  });

  it('suggests the real keys, including the composite ones', () => {
    const text = (name: string) => readFileSync(join(project, 'pipelines', `${name}.yaml`), 'utf8');
    expect(text('sales')).toMatch(/key:\n\s+- Order Number\n\s+- Line Item/);
    expect(text('exchange_rates')).toMatch(/key:\n\s+- Date\n\s+- Currency/);
    expect(text('customers')).toMatch(/encoding: windows-1252/);
  });

  it('replays byte for byte', async () => {
    const digest = (f: string) =>
      createHash('sha256')
        .update(readFileSync(join(project, 'out', `${f.toLowerCase()}.csv`)))
        .digest('hex');
    const before = FILES.map(digest);
    const again = await sluiceIn(['run', project, '--json', '--store', join(dir, 'store.db')]);
    expect(again.code).toBe(0);
    expect(FILES.map(digest)).toEqual(before);
  });
});
