/**
 * The steps a preview grid's column menu adds (src-renderer/features/preview/column-steps) run
 * as inserted: the engine plans and runs each on the column it names, on real-looking values.
 */
import { describe, expect, it } from 'vitest';
import {
  COLUMN_STEPS,
  columnStep,
  unavailable,
} from '../../src-renderer/features/preview/column-steps';
import { runSteps } from '../helpers/engine';

const names = ['Order Date', 'Customer Name', 'Quantity'];
const rows = [
  ['1/2/2016', ' Ann  Lee ', '3'],
  ['12/31/2017', 'Bo', '1'],
  [null, '', null],
];

describe('column menu steps in the engine', () => {
  it.each(COLUMN_STEPS)('%s runs on the column it was made for', (kind) => {
    const col = {
      name: kind === 'parse_dates' ? 'Order Date' : 'Customer Name',
      type: 'string',
      formats: ['M/d/yyyy'],
      taken: names,
    };
    expect(unavailable(kind, col)).toBeNull();
    const run = runSteps([columnStep(kind, col)], names, rows);
    expect(run.reports).toHaveLength(1);
  });

  it('splits at the first space and parses with the inferred formats', () => {
    const split = runSteps(
      [columnStep('split', { name: 'Customer Name', type: 'string', taken: names })],
      names,
      rows,
    );
    expect(split.columns).toEqual([...names, 'Customer Name 1', 'Customer Name 2']);
    expect(split.rows.map((r) => r.slice(3))).toEqual([
      ['Ann', 'Lee '],
      ['Bo', null],
      [null, null],
    ]);
    const dates = runSteps(
      [
        columnStep('parse_dates', {
          name: 'Order Date',
          type: 'string',
          formats: ['M/d/yyyy'],
          taken: names,
        }),
      ],
      names,
      rows,
    );
    expect(dates.rows.map((r) => r[0])).toEqual(['2016-01-02', '2017-12-31', null]);
  });
});
