/**
 * Pages of a computed preview (preview.ts), read from its folder: rows of one side with their
 * source lines, and the cells that differ from the row of the other side with the same line.
 */
import type { Value } from '../engine/table';
import { readInts, readSpill, readSpillRuns } from '../io/row-spill';
import {
  DROPPED_HEAD,
  droppedMatchFile,
  matchFile,
  spillFile,
  type PreviewMeta,
  type PreviewSide,
} from './step-preview';

/** A before row the step rejected or removed: its row on the page, and why. */
export interface DroppedMark {
  row: number;
  kind: string;
  rule: string;
  reason: string;
}

export interface PreviewRows {
  rows: Value[][];
  /** The source line of each row. */
  lines: number[];
  /** Cells of these rows the step changed: [row of the page, column name]. */
  changed: [number, string][];
  /** Rows of the page the step dropped (the before side only). */
  dropped: DroppedMark[];
  /** For each row, the row of the other side from the same source line, or -1 (none there). */
  twins: number[];
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
  if (side === 'dropped' || !rows.length) return { rows, lines, changed, dropped: [], twins: [] };

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
  const dropped = side === 'before' ? await droppedMarks(dir, offset, rows.length) : [];
  return { rows, lines, changed, dropped, twins: Array.from(match) };
}

/** Which of `count` before rows from `offset` the step dropped, and why. */
async function droppedMarks(dir: string, offset: number, count: number): Promise<DroppedMark[]> {
  const at = await readInts(droppedMatchFile(dir), offset, count);
  const hits = Array.from(at)
    .map((d, r) => [r, d] as const)
    .filter(([, d]) => d >= 0);
  if (!hits.length) return [];
  const wanted = [...new Set(hits.map(([, d]) => d))].sort((a, b) => a - b);
  const runs = runsOf(wanted);
  const read = await readSpillRuns(spillFile(dir, 'dropped'), runs);
  const byIndex = new Map<number, unknown[]>();
  runs.forEach(([first], ri) => read[ri].forEach((r, k) => byIndex.set(first + k, r)));
  // A dropped row as spilled: its line, then what, rule and reason, then its values.
  const head = DROPPED_HEAD.length;
  return hits.flatMap(([row, d]) => {
    const r = byIndex.get(d);
    return r ? [{ row, kind: String(r[1]), rule: String(r[2]), reason: String(r[head]) }] : [];
  });
}
