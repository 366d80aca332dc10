import { describe, expect, it } from 'vitest';
import type { KeyCheck } from '../../../src-shared/api/contract';
import type { ImportItem, Inspection } from '../../store/types';
import { keepBothName, keyCheck, nameProblem, plannedSteps } from './import-facts';

const ins = {
  rows: 100,
  suggested_key: ['order', 'line'],
  yaml: 'name: s\nsteps:\n  - step: trim\n  - step: parse_dates\n    columns: [Order Date]\n    formats: [M/d/yyyy]\n  - step: dedupe\n    key: [order, line]\n',
} as Inspection;

describe('the import card’s facts', () => {
  it('says checking… until the answer is for this key, then what the service counted', () => {
    const key = ['order', 'country'];
    const answer = (
      result: Partial<KeyCheck> | null,
      error: string | null = null,
      asked = key,
    ): ImportItem['keyCheck'] => ({
      key: asked,
      result: result && {
        key: asked,
        rows: 100,
        duplicate_rows: 0,
        duplicate_keys: 0,
        example: null,
        ...result,
      },
      error,
    });
    expect(keyCheck(ins, null, null)).toMatchObject({ state: 'none' });
    expect(keyCheck(ins, key, null)).toEqual({ state: 'checking', why: 'checking…' });
    expect(keyCheck(ins, key, answer(null))).toEqual({ state: 'checking', why: 'checking…' });
    // An answer about the key before the last click is not this key's.
    expect(keyCheck(ins, key, answer({}, null, ['order']))).toMatchObject({ state: 'checking' });
    expect(keyCheck(ins, key, answer({}))).toEqual({
      state: 'unique',
      why: 'unique over all 100 rows',
    });
    expect(
      keyCheck(
        ins,
        key,
        answer({ duplicate_rows: 1234, example: { values: ['1001', null], rows: 3 } }),
      ),
    ).toEqual({
      state: 'duplicates',
      why: '1,234 rows repeat a key (e.g. 1001 / (empty) on 3 rows): de-duplication keeps the first of each',
    });
    expect(
      keyCheck(ins, key, answer({ duplicate_rows: 1, example: { values: ['7'], rows: 2 } })).why,
    ).toMatch(/^1 row repeats a key \(e\.g\. 7 on 2 rows\)/);
    // Rows an earlier step rejects never reach the dedupe: the count says over how many it ran.
    expect(keyCheck(ins, key, answer({ rows: 97 })).why).toBe(
      'unique over all 97 rows (3 rows rejected by earlier steps never reach it)',
    );
    expect(keyCheck(ins, key, answer(null, 'the file changed'))).toEqual({
      state: 'unknown',
      why: 'could not check it: the file changed',
    });
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
