/**
 * What a computed preview's step changed, over every row rather than the page on screen: the
 * columns it changed a cell of (the grids mark their headers), the rows of each side it changed
 * and the before rows it dropped (for "next changed row" and "next rejected row").
 */
import { firstAtLeast, readInts, writeInts } from '../io/row-spill';
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
    // Ascending row numbers: the first at least `from`.
    const file = changedRowsFile(dir, side);
    const at = await firstAtLeast(file, from);
    return (await readInts(file, at, 1))[0] ?? null;
  }
  if (side !== 'before') return null;
  for (let o = Math.max(0, from); ; o += SCAN) {
    const marks = await readInts(droppedMatchFile(dir), o, SCAN);
    if (!marks.length) return null;
    const i = marks.findIndex((m) => m >= 0);
    if (i >= 0) return o + i;
  }
}

/** A file of integers read a block at a time, for lookups at ascending places. */
class IntBlocks {
  private block: Int32Array = new Int32Array(0);
  private start = 0;
  constructor(private readonly file: string) {}
  /** The integer at `i` when its block is in memory (undefined: load it). */
  peek(i: number): number | undefined {
    return i >= this.start && i < this.start + this.block.length
      ? this.block[i - this.start]
      : undefined;
  }
  /** Reads the block from `i` on; the integer at `i`, or null past the end. */
  async load(i: number): Promise<number | null> {
    this.block = await readInts(this.file, i, SCAN);
    this.start = i;
    return this.block.length ? this.block[0] : null;
  }
}

/**
 * The same under facets: `listed` holds the numbers of the rows of `side` that pass them (as a
 * facet scan wrote them), `from` and the answer count among those rows only.
 */
export async function findListedRow(
  dir: string,
  side: 'before' | 'after',
  listed: string,
  from: number,
  what: 'changed' | 'dropped',
): Promise<number | null> {
  if (what === 'dropped' && side !== 'before') return null;
  // The dropped marks: one per row of the side. The changed rows: ascending, as the listed
  // rows are, so the two are walked side by side from the first listed row on.
  const file = what === 'dropped' ? droppedMatchFile(dir) : changedRowsFile(dir, side);
  const marks = new IntBlocks(file);
  let c = -1;
  for (let o = Math.max(0, from); ; o += SCAN) {
    const rows = await readInts(listed, o, SCAN);
    if (!rows.length) return null;
    if (what === 'changed' && c < 0) c = await firstAtLeast(file, rows[0]);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (what === 'dropped') {
        if ((marks.peek(r) ?? (await marks.load(r)) ?? -1) >= 0) return o + i;
        continue;
      }
      let v = marks.peek(c) ?? (await marks.load(c));
      while (v !== null && v < r) v = marks.peek(++c) ?? (await marks.load(c));
      if (v === null) return null;
      if (v === r) return o + i;
    }
  }
}
