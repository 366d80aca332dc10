/** The plan shared by steps that need every row before they emit. */
import { describe, expect, it } from 'vitest';
import { holdAll, holdBatches, type StepSink } from '../../src-main/engine/step';
import { batchFromRows, rawValue, type Batch } from '../../src-main/engine/table';

const sink = {} as StepSink;
const rows = (b: Batch): unknown[] =>
  Array.from({ length: b.length }, (_, i) => rawValue(b.columns[0], i));

describe('holdAll', () => {
  it('hands every row over once, in order, after the last batch, and nothing before', () => {
    const seen: unknown[][] = [];
    const input = batchFromRows(['a'], [['x']]).fields;
    const plan = holdAll(input, (all) => seen.push(rows(all)));
    plan.process(batchFromRows(['a'], [['1'], ['2']]), sink);
    plan.process(batchFromRows(['a'], [['3']]), sink);
    expect(seen).toEqual([]);
    plan.finish!(sink);
    expect(seen).toEqual([['1', '2', '3']]);
    expect(plan.fields).toBe(input);
  });

  it('is not called when no rows came, and can give other output columns', () => {
    let called = false;
    const input = batchFromRows(['a'], []).fields;
    const output = [...input, { name: 'b', type: 'int' as const }];
    const plan = holdAll(input, () => (called = true), output);
    plan.finish!(sink);
    expect(called).toBe(false);
    expect(plan.fields).toBe(output);
  });

  it('holdBatches gives the batches as they came', () => {
    let sizes: number[] = [];
    const plan = holdBatches((batches) => (sizes = batches.map((b) => b.length)), []);
    plan.process(batchFromRows(['a'], [['1'], ['2']]), sink);
    plan.process(batchFromRows(['a'], [['3']]), sink);
    plan.finish!(sink);
    expect(sizes).toEqual([2, 1]);
  });
});
