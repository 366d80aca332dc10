import { describe, expect, it } from 'vitest';
import type { Inspection } from '../../store/types';
import { keepBothName, keyCheck, nameProblem, plannedSteps } from './import-facts';

const col = (name: string, distinct: number, nulls = 0) =>
  ({
    name,
    distinct_count: distinct,
    null_count: nulls,
    distinct_capped: false,
  }) as Inspection['columns'][number];

const ins = {
  rows: 100,
  suggested_key: ['order', 'line'],
  columns: [col('id', 100), col('order', 40), col('line', 7), col('country', 3), col('kind', 2)],
  yaml: 'name: s\nsteps:\n  - step: trim\n  - step: parse_dates\n    columns: [Order Date]\n    formats: [M/d/yyyy]\n  - step: dedupe\n    key: [order, line]\n',
} as Inspection;

describe('the import card’s facts', () => {
  it('says a key is unique over all rows, has duplicates, or is not known before the run', () => {
    expect(keyCheck(ins, ['id']).state).toBe('unique');
    expect(keyCheck(ins, ['line', 'order']).state).toBe('unique');
    expect(keyCheck(ins, ['country', 'kind'])).toMatchObject({ state: 'duplicates' });
    expect(keyCheck(ins, ['country', 'kind']).why).toContain('at least 94');
    expect(keyCheck(ins, ['order', 'country']).state).toBe('unknown');
    expect(keyCheck(ins, null).state).toBe('none');
  });

  it('lists the steps the recipe will have, with the key chosen', () => {
    expect(plannedSteps(ins, ['id'])).toEqual([
      'trim spaces in every text column',
      'parse dates: Order Date (M/d/yyyy)',
      'de-duplicate on id',
    ]);
    expect(plannedSteps(ins, null)).toHaveLength(2);
  });

  it('words a bad name plainly, and names a kept copy', () => {
    expect(nameProblem('', false)).toBe('the pipeline needs a name');
    expect(nameProblem('my sales', false)).toContain('no spaces');
    expect(nameProblem('sales', true)).toContain('exists already');
    expect(nameProblem('sales_2', false)).toBeNull();
    expect(keepBothName('Sales.csv')).toBe('Sales-2.csv');
    expect(keepBothName('Sales.csv', 3)).toBe('Sales-3.csv');
  });
});
