/**
 * Pages of a computed preview (preview.ts), read from its folder: rows of one side with their
 * source lines, and the cells that differ from the row of the other side with the same line.
 */
import type { Value } from '../engine/table';
import { readInts, readSpill, readSpillRuns } from '../io/row-spill';
import { matchFile, spillFile, type PreviewMeta, type PreviewSide } from './step-preview';

export interface PreviewRows {
  rows: Value[][];
  /** The source line of each row. */
  lines: number[];
  /** Cells of these rows the step changed: [row of the page, column name]. */
  changed: [number, string][];
}

/** Groups sorted distinct row numbers into runs of consecutive rows: [first, count]. */
function runsOf(rows: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const r of rows) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === r) last[1]++;
    else runs.push([r, 1]);
  }
  return runs;
}

const differs = (a: Value, b: Value): boolean => !Object.is(a, b) && String(a) !== String(b);

/** Rows `offset` to `offset + limit` of one side of a preview. */
export async function readPreviewRows(
  dir: string,
  meta: PreviewMeta,
  side: PreviewSide,
  offset: number,
  limit: number,
): Promise<PreviewRows> {
  const stored = (await readSpill(spillFile(dir, side), offset, limit)) as Value[][];
  const lines = stored.map((r) => Number(r[0]));
  const rows = stored.map((r) => r.slice(1));
  const changed: [number, string][] = [];
  if (side === 'dropped' || !rows.length) return { rows, lines, changed };

  const other = side === 'before' ? 'after' : 'before';
  const match = await readInts(matchFile(dir, side), offset, rows.length);
  const wanted = [...new Set(Array.from(match).filter((m) => m >= 0))].sort((a, b) => a - b);
  const runs = runsOf(wanted);
  const read = await readSpillRuns(spillFile(dir, other), runs);
  const counterpart = new Map<number, Value[]>();
  runs.forEach(([first], ri) =>
    read[ri].forEach((r, k) => counterpart.set(first + k, (r as Value[]).slice(1))),
  );
  const mine = meta[side].columns;
  const at = mine.map((c) => meta[other].columns.findIndex((o) => o.name === c.name));
  rows.forEach((row, r) => {
    const twin = counterpart.get(match[r]);
    if (!twin) return;
    mine.forEach((c, ci) => {
      if (at[ci] >= 0 && differs(row[ci], twin[at[ci]])) changed.push([r, c.name]);
    });
  });
  return { rows, lines, changed };
}
