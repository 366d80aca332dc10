/**
 * Pages of a computed preview (preview.ts), read from its folder: rows of one side with their
 * source lines, and the cells that differ from the row of the other side with the same line.
 */
import type { Value } from '../engine/table';
import { firstAtLeast, readInts, readSpill, readSpillRuns } from '../io/row-spill';
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
  if (side === 'dropped' || !stored.length) return pageOf(stored);
  const match = await readInts(matchFile(dir, side), offset, stored.length);
  const positions = stored.map((_, i) => offset + i);
  return withChanged(dir, meta, side, stored, Array.from(match), positions);
}

/**
 * Rows `offset` to `offset + limit` of those listed in `rowsFile` (row numbers of one side, as
 * a facet scan wrote them), with their changed cells. `otherRowsFile` lists the other side's
 * rows under the same facets: each row's twin is its place among those (the grids show no
 * others), or -1 when its twin does not pass them there.
 */
export async function readListedRows(
  dir: string,
  meta: PreviewMeta,
  side: 'before' | 'after',
  rowsFile: string,
  otherRowsFile: string,
  offset: number,
  limit: number,
): Promise<PreviewRows> {
  const rows = Array.from(await readInts(rowsFile, offset, limit));
  if (!rows.length) return pageOf([]);
  const runs = runsOf(rows);
  const stored = (await readSpillRuns(spillFile(dir, side), runs)).flat() as Value[][];
  const matches = await Promise.all(runs.map(([f, n]) => readInts(matchFile(dir, side), f, n)));
  const match = matches.flatMap((m) => Array.from(m));
  const page = await withChanged(dir, meta, side, stored, match, rows);
  return { ...page, twins: await placesIn(otherRowsFile, match) };
}

/** Row numbers per read while placing twins. */
const PLACES_BLOCK = 4096;

/** Where each of `values` sits in a file of ascending row numbers (its index), or -1. */
async function placesIn(file: string, values: number[]): Promise<number[]> {
  const wanted = new Set(values.filter((v) => v >= 0));
  if (!wanted.size) return values.map(() => -1);
  const lo = Math.min(...wanted);
  const hi = Math.max(...wanted);
  const at = new Map<number, number>();
  // From the first that could be wanted to the last: a page's twins lie close together, unless
  // the step reordered the rows.
  for (let o = await firstAtLeast(file, lo); ; o += PLACES_BLOCK) {
    const block = await readInts(file, o, PLACES_BLOCK);
    for (let i = 0; i < block.length; i++) if (wanted.has(block[i])) at.set(block[i], o + i);
    if (block.length < PLACES_BLOCK || block[block.length - 1] >= hi) break;
  }
  return values.map((v) => at.get(v) ?? -1);
}

function pageOf(stored: Value[][]): PreviewRows {
  return {
    rows: stored.map((r) => r.slice(1)),
    lines: stored.map((r) => Number(r[0])),
    changed: [],
    dropped: [],
    twins: [],
  };
}

/**
 * A page of stored rows (at `positions` of their side) with the cells that differ from their
 * rows (`match`) on the other side, and on the before side the ones the step dropped.
 */
async function withChanged(
  dir: string,
  meta: PreviewMeta,
  side: 'before' | 'after',
  stored: Value[][],
  match: number[],
  positions: number[],
): Promise<PreviewRows> {
  const { rows, lines, changed } = pageOf(stored);
  const other = side === 'before' ? 'after' : 'before';
  const wanted = [...new Set(match.filter((m) => m >= 0))].sort((a, b) => a - b);
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
  const dropped = side === 'before' ? await droppedMarks(dir, positions) : [];
  return { rows, lines, changed, dropped, twins: Array.from(match) };
}

/** Which of the before rows at `positions` (ascending) the step dropped, and why. */
async function droppedMarks(dir: string, positions: number[]): Promise<DroppedMark[]> {
  const parts = await Promise.all(
    runsOf(positions).map(([first, n]) => readInts(droppedMatchFile(dir), first, n)),
  );
  const hits = parts
    .flatMap((a) => Array.from(a))
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
