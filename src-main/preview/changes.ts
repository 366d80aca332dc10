/**
 * What a computed preview's step changed, over every row rather than the page on screen: the
 * columns it changed a cell of (the grids mark their headers), the rows of each side it changed
 * and the before rows it dropped (for "next changed row" and "next rejected row").
 */
import { readInts, writeInts } from '../io/row-spill';
import { readPreviewRows } from './pages';
import { changedRowsFile, droppedMatchFile, matchFile, type PreviewMeta } from './step-preview';

/** Rows compared per read: a few chunks of each spill at a time. */
const PAGE = 4096;

/**
 * Compares every after row with its before twin, keeps the changed rows of both sides beside
 * the spills, and returns the meta with `changed_columns` filled in.
 */
export async function findChanges(dir: string, meta: PreviewMeta): Promise<PreviewMeta> {
  const columns = new Set<string>();
  const after: number[] = [];
  const before = new Set<number>();
  for (let o = 0; o < meta.after.total; o += PAGE) {
    const page = await readPreviewRows(dir, meta, 'after', o, PAGE);
    const match = await readInts(matchFile(dir, 'after'), o, page.rows.length);
    let last = -1;
    for (const [r, c] of page.changed) {
      columns.add(c);
      if (r === last) continue;
      last = r;
      after.push(o + r);
      if (match[r] >= 0) before.add(match[r]);
    }
  }
  writeInts(changedRowsFile(dir, 'after'), Int32Array.from(after));
  writeInts(changedRowsFile(dir, 'before'), Int32Array.from([...before].sort((a, b) => a - b)));
  return {
    ...meta,
    changed_columns: meta.after.columns.map((c) => c.name).filter((n) => columns.has(n)),
  };
}

/** Integers per read while searching a file of them. */
const SCAN = 1 << 16;

/**
 * The first row at or after `from` on `side` that the step changed, or (before side only)
 * dropped; null when there is none.
 */
export async function findPreviewRow(
  dir: string,
  side: 'before' | 'after',
  from: number,
  what: 'changed' | 'dropped',
): Promise<number | null> {
  if (what === 'changed') {
    // Ascending row numbers: a binary search over the file, a block at a time.
    const file = changedRowsFile(dir, side);
    for (let o = 0; ; o += SCAN) {
      const rows = await readInts(file, o, SCAN);
      if (!rows.length) return null;
      if (rows[rows.length - 1] < from) continue;
      let lo = 0;
      let hi = rows.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (rows[mid] < from) lo = mid + 1;
        else hi = mid;
      }
      return rows[lo];
    }
  }
  if (side !== 'before') return null;
  for (let o = Math.max(0, from); ; o += SCAN) {
    const marks = await readInts(droppedMatchFile(dir), o, SCAN);
    if (!marks.length) return null;
    const i = marks.findIndex((m) => m >= 0);
    if (i >= 0) return o + i;
  }
}
