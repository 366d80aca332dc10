/**
 * A split profile's columns are shared out by their measured cost, the main thread starting
 * with its reading: the threads end up with about as much to do, where alternate columns left
 * one of them with most of it.
 */
import { describe, expect, it } from 'vitest';
import {
  helperColumns,
  LATER_COST,
  READ_NS_PER_BYTE,
} from '../../src-main/orchestrator/column-share';

/** A batch of the bench file, and its reading as the sharing counts it. */
const BYTES = 150_000;
const READING = (BYTES * READ_NS_PER_BYTE) / 1e6;

/** Each thread's work per batch: the main thread's reading, and its columns' costs `times` over. */
const load = (
  spent: number[],
  helps: boolean[],
  reading: number,
  times = LATER_COST,
): [number, number] => [
  reading + spent.reduce((s, x, c) => s + (helps[c] ? 0 : x * times), 0),
  spent.reduce((s, x, c) => s + (helps[c] ? x * times : 0), 0),
];

describe('sharing out the columns of a split profile', () => {
  it('balances costly columns between the threads, counting the reading as the main one', () => {
    // The bench file's costs: prices (1.1 ms a batch) and customer keys dwarf the rest.
    const spent = [0.32, 0.04, 0.2, 0.05, 0.68, 0.05, 0.1, 0.03, 0.06, 1.14, 0.26];
    const helps = helperColumns(spent, BYTES);
    const [main, helper] = load(spent, helps, READING);
    expect(Math.abs(main - helper)).toBeLessThan(0.25);
    expect(helps[9]).not.toBe(helps[4]);
    // Alternate columns were far apart.
    const [m2, h2] = load(
      spent,
      spent.map((_, c) => c % 2 === 1),
      READING,
    );
    expect(Math.abs(m2 - h2)).toBeGreaterThan(0.5);
  });

  it('weighs the columns at what they cost over the whole file, not on the first batches', () => {
    // One run of the bench file, per column: the least of its early batches, and what it came
    // to per batch over the whole file (1.6 to 4 times as much); the reading counted at the
    // 0.9 ms it took (the bytes that make 0.9 ms as the sharing counts them).
    const early = [0.27, 0.04, 0.19, 0.05, 0.45, 0.05, 0.1, 0.03, 0.05, 0.9, 0.24];
    const whole = [0.78, 0.16, 0.49, 0.12, 0.85, 0.08, 0.23, 0.06, 0.1, 2.01, 0.45];
    const helps = helperColumns(early, 0.9e6 / READ_NS_PER_BYTE);
    const [main, helper] = load(whole, helps, 0.9, 1);
    expect(Math.abs(main - helper) / Math.max(main, helper)).toBeLessThan(0.1);
  });

  it('gives the helper less when it is behind on the early batches', () => {
    const spent = [1, 1, 1, 1];
    expect(helperColumns(spent, 0).filter(Boolean)).toHaveLength(2);
    expect(helperColumns(spent, 0, 1.5 * LATER_COST).filter(Boolean)).toHaveLength(1);
  });

  it('gives the helper everything when reading costs more than all the columns', () => {
    expect(helperColumns([0.1, 0.2, 0.05], 1_000_000)).toEqual([true, true, true]);
  });

  it('gives the helper the first of equal columns, and the costliest first', () => {
    expect(helperColumns([1, 1], 0)).toEqual([true, false]);
    expect(helperColumns([1, 3, 1], 0)).toEqual([false, true, false]);
  });
});
