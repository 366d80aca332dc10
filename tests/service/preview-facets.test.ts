/**
 * A step's preview under facets on the real Sales.csv, as the window asks it: "next changed row"
 * and "next rejected row" land only on rows that pass the facets (and count among them), each
 * row's twin is its place among the other side's matching rows, and the CSV export writes the
 * matching rows and no others. Every expectation is counted from the raw file, not the service.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Facet } from '../../src-shared/api/contract';
import { previewCsv, previewCsvName } from '../../src-shared/preview-csv';
import { SluiceService } from '../../src-main/service/api-service';
import { caller, type Call } from '../helpers/service';
import { SHARED, tempDir } from '../helpers/tmp';

process.env.SLUICE_HOME = tempDir();
const dir = tempDir();
let svc: SluiceService;
const call: Call = (m, p) => caller(svc)(m, p);

/** The raw file's rows: source line (the header is line 1), Order Date, StoreKey, Currency Code. */
const raw = readFileSync(join(SHARED, 'Sales.csv'), 'utf8')
  .split(/\r?\n/)
  .slice(1)
  .filter((l) => l !== '')
  .map((l, i) => {
    const c = l.split(','); // no quoted cells in Sales.csv
    return { line: i + 2, date: c[2], store: c[5], currency: c[8] };
  });
const CAD: Facet = { kind: 'values', column: 'Currency Code', values: ['CAD'] };
/** The CAD rows, in file order: the rows the facet lets through before either step. */
const cad = raw.filter((r) => r.currency === 'CAD');
/** Step 2 reads M/d/yyyy only: a date written MM-dd-yyyy is rejected. */
const slashed = (r: (typeof raw)[number]): boolean => r.date.includes('/');

/** The first place at or after `from` in `rows` whose row passes `test`, or null. */
const nextOf = <T>(rows: T[], from: number, test: (r: T) => boolean): number | null => {
  for (let i = from; i < rows.length; i++) if (test(rows[i])) return i;
  return null;
};

beforeAll(async () => {
  mkdirSync(join(dir, 'pipelines'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'sluice.yaml'), 'name: facets\ndata: data\nstore: store.db\n');
  cpSync(join(SHARED, 'Sales.csv'), join(dir, 'data', 'Sales.csv'));
  // Step 1 changes the online store's rows only (StoreKey 0); step 2 rejects the dashed dates.
  writeFileSync(
    join(dir, 'pipelines', 'sales.yaml'),
    'name: sales\nsource: {path: Sales.csv}\nsteps:\n  - step: replace\n    columns: [StoreKey]\n    values: {"0": online}\n  - step: parse_dates\n    columns: [Order Date]\n    formats: [M/d/yyyy]\noutputs:\n  - {kind: csv, path: out/sales.csv}\n',
  );
  svc = await SluiceService.open(dir);
}, 60_000);

afterAll(async () => {
  await svc?.close();
});

const find = (
  step: number,
  side: 'before' | 'after',
  what: 'changed' | 'dropped',
  from: number,
  facets: Facet[] = [CAD],
) =>
  call('pipelines.previewFind', { name: 'sales', step, side, what, from, facets }).then(
    (r) => r.row,
  );

describe('previewFind under facets, on the real Sales.csv', () => {
  it('finds the next changed row among the matching rows only', async () => {
    expect(cad.length).toBeGreaterThan(5000);
    const online = (r: (typeof raw)[number]): boolean => r.store === '0';
    expect(cad.filter(online).length).toBeGreaterThan(10);
    // Places among the CAD rows, from the top, the middle, past the last changed one.
    const last = cad.findLastIndex(online);
    for (const from of [0, 1, 100, 2500, last, last + 1, cad.length]) {
      const want = nextOf(cad, from, online);
      expect(await find(1, 'after', 'changed', from), `after, from ${from}`).toBe(want);
      expect(await find(1, 'before', 'changed', from), `before, from ${from}`).toBe(want);
    }
    // The row found is the one the grid shows there: a CAD row of the online store.
    const at = (await find(1, 'after', 'changed', 0))!;
    const page = await call('pipelines.previewRows', {
      name: 'sales',
      step: 1,
      side: 'after',
      offset: at,
      limit: 1,
      facets: [CAD],
    });
    expect(page.lines).toEqual([cad[at].line]);
    expect(page.rows[0][page.columns.findIndex((c) => c.name === 'StoreKey')]).toBe('online');
    expect(page.changed).toEqual([[0, 'StoreKey']]);
    // Without facets, places over every row, as before.
    const first = raw.findIndex(online);
    expect(await find(1, 'after', 'changed', 0, [])).toBe(first);
  });

  it('finds the next rejected row among the matching rows of the before side', async () => {
    const dashed = (r: (typeof raw)[number]): boolean => !slashed(r);
    const last = cad.findLastIndex(dashed);
    for (const from of [0, 7, 1000, 4000, last, last + 1]) {
      const want = nextOf(cad, from, dashed);
      expect(await find(2, 'before', 'dropped', from), `from ${from}`).toBe(want);
    }
    // A facet no row passes: nothing to find.
    const none: Facet = { kind: 'values', column: 'Currency Code', values: ['XYZ'] };
    expect(await find(2, 'before', 'dropped', 0, [none])).toBeNull();
  });
});

describe('twins under facets', () => {
  it("point at the twin's place among the other side's matching rows", async () => {
    const after = cad.filter(slashed);
    const placeAfter = new Map(after.map((r, i) => [r.line, i]));
    const offset = 1200;
    const before = await call('pipelines.previewRows', {
      name: 'sales',
      step: 2,
      side: 'before',
      offset,
      limit: 200,
      facets: [CAD],
    });
    expect(before.lines).toEqual(cad.slice(offset, offset + 200).map((r) => r.line));
    // A rejected row has no twin; the others' are where the after grid shows their lines.
    expect(before.twins).toEqual(before.lines.map((l) => placeAfter.get(l) ?? -1));
    expect(before.twins.filter((t) => t < 0).length).toBeGreaterThan(0);
    const back = await call('pipelines.previewRows', {
      name: 'sales',
      step: 2,
      side: 'after',
      offset: before.twins.find((t) => t >= 0)!,
      limit: 50,
      facets: [CAD],
    });
    const placeBefore = new Map(cad.map((r, i) => [r.line, i]));
    expect(back.twins).toEqual(back.lines.map((l) => placeBefore.get(l)));
  });
});

describe('the CSV export under facets', () => {
  it('writes exactly the rows that pass the facets, named after them', async () => {
    const exported = async (side: 'before' | 'after', facets: Facet[]): Promise<string[]> => {
      const lines = await previewCsv((offset, limit) =>
        call('pipelines.previewRows', { name: 'sales', step: 2, side, offset, limit, facets }),
      );
      return lines!.join('').split('\n').slice(0, -1);
    };
    const after = await exported('after', [CAD]);
    expect(after[0]).toBe(
      'line,Order Number,Line Item,Order Date,Delivery Date,CustomerKey,StoreKey,ProductKey,Quantity,Currency Code',
    );
    const body = after.slice(1);
    // Counted from the raw file: CAD rows whose date step 2 reads.
    expect(body).toHaveLength(cad.filter(slashed).length);
    expect(body.every((l) => l.endsWith(',CAD'))).toBe(true);
    expect(body.map((l) => Number(l.split(',')[0]))).toEqual(
      cad.filter(slashed).map((r) => r.line),
    );
    // Before the step, every CAD row, the rejected ones too.
    expect((await exported('before', [CAD])).length - 1).toBe(cad.length);
    // Without facets, every row.
    expect((await exported('before', [])).length - 1).toBe(raw.length);
    expect(previewCsvName('sales', 2, 'after', [CAD])).toBe(
      'sales-step-2-after where Currency Code CAD.csv',
    );
    expect(previewCsvName('sales', 2, 'after', [])).toBe('sales-step-2-after.csv');
  }, 120_000);
});
