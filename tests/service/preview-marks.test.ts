/**
 * What a step's preview says over every row, not just the page on screen: the columns it
 * changed, where the next changed or dropped row is (pipelines.previewFind), and which before
 * rows of a page it dropped and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { caller, type Call } from '../helpers/service';
import { makeProject } from '../helpers/project';

// 10,000 rows; the changes and the one bad date lie far past the first page.
const rows = Array.from({ length: 10_000 }, (_, i) => {
  const name = i === 9000 || i === 9500 ? ` N${i} ` : `N${i}`;
  const when = i === 7000 ? 'soon' : `${(i % 12) + 1}/${(i % 28) + 1}/2020`;
  return `${i},${name},${when}`;
});
const dir = makeProject(
  {
    people: `source: {path: small.csv}
steps:
  - step: trim
    columns: [name]
  - step: parse_dates
    columns: [when]
    formats: [M/d/yyyy]
outputs: []
`,
  },
  { name: 'marks', smallCsv: `id,name,when\n${rows.join('\n')}\n` },
);

let svc: SluiceService;
let call: Call;
beforeAll(async () => {
  svc = await SluiceService.open(dir, {});
  call = caller(svc);
});
afterAll(() => svc.close());

const find = (step: number, side: 'before' | 'after', what: 'changed' | 'dropped', from: number) =>
  call('pipelines.previewFind', { name: 'people', step, side, what, from }).then((r) => r.row);

describe('a preview over every row', () => {
  it('names the columns the step changed, though none changed on the first page', async () => {
    const trim = await call('pipelines.preview', { name: 'people', step: 1, limit: 50 });
    expect(trim.changed).toEqual([]);
    expect(trim.changed_columns).toEqual(['name']);
    expect(trim.before_dropped).toEqual([]);
    const dates = await call('pipelines.preview', { name: 'people', step: 2, limit: 50 });
    expect(dates.changed_columns).toEqual(['when']);
  });

  it('finds the next changed row on either side, null past the last', async () => {
    expect(await find(1, 'after', 'changed', 0)).toBe(9000);
    expect(await find(1, 'after', 'changed', 9000)).toBe(9000);
    expect(await find(1, 'after', 'changed', 9001)).toBe(9500);
    expect(await find(1, 'before', 'changed', 9001)).toBe(9500);
    expect(await find(1, 'after', 'changed', 9501)).toBeNull();
  });

  it('finds the next dropped row on the before side', async () => {
    expect(await find(2, 'before', 'dropped', 0)).toBe(7000);
    expect(await find(2, 'before', 'dropped', 7001)).toBeNull();
    expect(await find(1, 'before', 'dropped', 0)).toBeNull();
    // On the after side a row parse_dates rejected is gone: every row after it changed.
    expect(await find(2, 'after', 'changed', 7000)).toBe(7000);
    await expect(find(2, 'after', 'dropped', 0)).rejects.toThrow(/before side only/);
  });

  it('marks the dropped rows of a page of the before side, with why', async () => {
    const page = await call('pipelines.previewRows', {
      name: 'people',
      step: 2,
      side: 'before',
      offset: 6990,
      limit: 20,
    });
    expect(page.dropped).toEqual([
      {
        row: 10,
        kind: 'rejected',
        rule: expect.any(String),
        reason: expect.stringContaining('soon'),
      },
    ]);
    expect(page.lines[10]).toBe(7002);
    // Each row's twin on the other side, for scrolling both as one: none for the dropped row.
    expect(page.twins.slice(9, 12)).toEqual([6999, -1, 7000]);
    const after = await call('pipelines.previewRows', {
      name: 'people',
      step: 2,
      side: 'after',
      offset: 6990,
      limit: 20,
    });
    expect(after.dropped).toEqual([]);
    expect(after.twins.slice(9, 11)).toEqual([6999, 7001]);
  });
});
