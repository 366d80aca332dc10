/** What a profile says about a table and each of its columns (profile.ts, column-stats.ts). */
import type { TypeGuess } from './type-tally';

export interface HistogramBin {
  from: string;
  to: string;
  count: number;
}

export interface ColumnProfile {
  name: string;
  guess: TypeGuess;
  rows: number;
  nullCount: number;
  distinctCount: number;
  /**
   * True when the column had more distinct values than could be kept: its distinct count is
   * then an estimate (HyperLogLog, within about 2%), its top values' counts lower bounds, and
   * its histogram's counts estimates. Null counts, type, fit, min and max stay exact.
   */
  distinctCapped: boolean;
  min: string | null;
  max: string | null;
  topValues: { value: string; count: number }[];
  lengthMin: number | null;
  lengthMax: number | null;
  histogram: HistogramBin[];
}

export interface TableProfile {
  rows: number;
  columns: ColumnProfile[];
  /** The smallest set of columns (up to three) that is unique and never null, if any. */
  suggestedKey: string[] | null;
}
