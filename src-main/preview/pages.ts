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
  if (side === 'dropped' || !stored.length) return pageOf(stored);
  const match = await readInts(matchFile(dir, side), offset, stored.length);
  return withChanged(dir, meta, side, stored, Array.from(match));
}

/**
 * Rows `offset` to `offset + limit` of those listed in `rowsFile` (row numbers of one side, as
 * a facet scan wrote them), with their changed cells.
 */
export async function readListedRows(
  dir: string,
  meta: PreviewMeta,
  side: 'before' | 'after',
  rowsFile: string,
  offset: number,
  limit: number,
): Promise<PreviewRows> {
  const rows = Array.from(await readInts(rowsFile, offset, limit));
  if (!rows.length) return pageOf([]);
  const runs = runsOf(rows);
  const stored = (await readSpillRuns(spillFile(dir, side), runs)).flat() as Value[][];
  const matches = await Promise.all(runs.map(([f, n]) => readInts(matchFile(dir, side), f, n)));
  return withChanged(
    dir,
    meta,
    side,
    stored,
    matches.flatMap((m) => Array.from(m)),
  );
}

function pageOf(stored: Value[][]): PreviewRows {
  return {
    rows: stored.map((r) => r.slice(1)),
    lines: stored.map((r) => Number(r[0])),
    changed: [],
  };
}

/** A page of stored rows with the cells that differ from their rows (`match`) on the other side. */
async function withChanged(
  dir: string,
  meta: PreviewMeta,
  side: 'before' | 'after',
  stored: Value[][],
  match: number[],
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
  return { rows, lines, changed };
}
