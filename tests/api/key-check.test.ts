/**
 * Whether a key is unique over every row, as imports.inspect answers it on the real Sales.csv:
 * counts checked against ones this test makes itself from the file's text, and against what a
 * real run's de-duplication removes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, MethodName, Params, Result } from '../../src-shared/api/contract';
import { SluiceService } from '../../src-main/service/api-service';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import { makeProject } from '../helpers/project';
import { SHARED, tempDir } from '../helpers/tmp';

process.env.SLUICE_HOME = tempDir();
let svc: SluiceService;
let dispatch: ReturnType<typeof createDispatcher>;
const call = async <M extends MethodName>(m: M, p: Params<M>): Promise<Result<M>> => {
  const r = (await dispatch(m, p)) as ApiResult<Result<M>>;
  if (!r.ok) throw new Error(`${m}: ${r.error.code}: ${r.error.message}`);
  return r.value;
};

/** Sales.csv's rows as text (it has no quoted fields), with its header's column numbers. */
const lines = readFileSync(join(SHARED, 'Sales.csv'), 'utf8').trim().split(/\r?\n/);
const header = lines[0].split(',');
const rows = lines.slice(1).map((l) => l.split(','));
const col = (name: string): number => header.indexOf(name);
/** 1/13/2016 and 01-13-2016 are one day, as the recipe's parse_dates makes them. */
const day = (s: string): string => {
  const [m, d, y] = s.split(/[/-]/).map(Number);
  return `${y}-${m}-${d}`;
};

/** The rows whose key an earlier row has, and the first such key with all its rows. */
function countDuplicates(key: (r: string[]) => string): {
  duplicates: number;
  keys: number;
  first: string | null;
  firstRows: number;
} {
  const count = new Map<string, number>();
  let duplicates = 0;
  let first: string | null = null;
  for (const r of rows) {
    const k = key(r);
    const n = count.get(k) ?? 0;
    if (n) {
      duplicates++;
      first ??= k;
    }
    count.set(k, n + 1);
  }
  const keys = [...count.values()].filter((n) => n > 1).length;
  return { duplicates, keys, first, firstRows: first === null ? 0 : count.get(first)! };
}

beforeAll(async () => {
  const dir = makeProject({}, { name: 'keys', smallCsv: 'a\n1\n' });
  svc = await SluiceService.open(dir, { dataDir: SHARED });
  dispatch = createDispatcher(svc.handlers);
}, 120_000);

afterAll(() => svc?.close());

const inspect = (key?: string[]) => call('imports.inspect', { path: 'Sales.csv', rows: 1, key });

describe('imports.inspect with a key, over every row of the real Sales.csv', () => {
  it('Order Number alone repeats: as many rows as this test counts, with the first repeated one', async () => {
    const r = await inspect(['Order Number']);
    const mine = countDuplicates((x) => x[col('Order Number')]);
    // 62,884 line items of 26,326 orders: de-duplicating on the order alone loses 36,558 rows.
    expect(mine.duplicates).toBe(36_558);
    expect(r.key_check).toEqual({
      key: ['Order Number'],
      rows: 62_884,
      duplicate_rows: mine.duplicates,
      duplicate_keys: mine.keys,
      example: { values: [mine.first], rows: mine.firstRows },
    });
    // The recipe it would write de-duplicates on the key asked about.
    expect(r.yaml).toMatch(/- step: dedupe\n\s+key:\n\s+- Order Number\n\s+keep: first/);
  }, 120_000);

  it('Order Number + Line Item is unique over all 62,884 rows', async () => {
    const r = await inspect(['Order Number', 'Line Item']);
    expect(r.key_check).toEqual({
      key: ['Order Number', 'Line Item'],
      rows: 62_884,
      duplicate_rows: 0,
      duplicate_keys: 0,
      example: null,
    });
  }, 120_000);

  it('a key with a date counts as the run will: after the dates are parsed', async () => {
    const key = ['CustomerKey', 'Order Date'];
    const r = (await inspect(key)).key_check!;
    const mine = countDuplicates((x) => `${x[col('CustomerKey')]}|${day(x[col('Order Date')])}`);
    expect(r.duplicate_rows).toBe(mine.duplicates);
    expect(r.duplicate_keys).toBe(mine.keys);
    expect(r.duplicate_rows).toBeGreaterThan(0);
    const [customer, date] = mine.first!.split('|');
    const [y, m, d] = date.split('-').map(Number);
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    expect(r.example).toEqual({ values: [customer, iso], rows: mine.firstRows });

    // What a run's dedupe step removes on that key is exactly the count the card showed.
    await call('imports.create', { path: 'Sales.csv', name: 'sales_by_day', key });
    const { run_id } = await call('runs.start', { pipelines: ['sales_by_day'], only: true });
    await svc.idle();
    const run = await call('runs.get', { run_id });
    expect(run.run.status).toBe('succeeded');
    const dedupe = run.tasks[0].steps.find((s) => s.kind === 'dedupe')!;
    expect(dedupe.rows_removed).toBe(r.duplicate_rows);
    expect(dedupe.rows_in).toBe(r.rows);
  }, 180_000);

  it('without a key there is no check; a key the file lacks is refused by name', async () => {
    expect((await inspect()).key_check).toBeNull();
    await expect(inspect(['Order Number', 'Nope'])).rejects.toThrow(
      /bad_request: the key names columns the file does not have: Nope/,
    );
  }, 120_000);
});
