/**
 * One pass over a side of a computed preview (its spill) with facets: which rows match them all
 * (kept as a file of row numbers, so the grids can page through just those), each column's
 * profile over the rows that pass the other facets, and clusters of a text column's values.
 * It runs on a worker of the pool: a side may hold millions of rows.
 */
import { renameSync } from 'node:fs';
import { clusterValues, type Cluster, type ClusterMethod } from '../engine/cluster';
import { ColumnStats } from '../engine/column-stats';
import { facetFilter, facetText, type Facet } from '../engine/facets';
import type { ColumnProfile } from '../engine/profile';
import type { Value } from '../engine/table';
import { forEachChunk, writeInts } from '../io/row-spill';
import { spillFile, type Column } from './step-preview';

export interface ScanTask {
  dir: string;
  side: 'before' | 'after';
  /** The side's columns, as its preview says. */
  columns: Column[];
  facets: Facet[];
  /** Facets not to apply on this side (see facetFilter). */
  ignore?: boolean[];
  /** Where the numbers of the matching rows go (32-bit integers), if anywhere. */
  rowsFile: string | null;
  profile?: { topN: number; bins: number };
  clusters?: { column: string; method: ClusterMethod };
}

export interface ScanResult {
  /** Rows of the side. */
  total: number;
  /** Rows that pass every facet that applies here. */
  matching: number;
  /** Per facet: whether this side has its column. */
  applied: boolean[];
  profile: ColumnProfile[] | null;
  clusters: { distinct: number; rows: number; clusters: Cluster[] } | null;
}

/** A growing list of row numbers. */
class Ints {
  a = new Int32Array(4096);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const g = new Int32Array(this.a.length * 2);
      g.set(this.a);
      this.a = g;
    }
    this.a[this.n++] = v;
  }
}

export async function scanSide(t: ScanTask): Promise<ScanResult> {
  const filter = facetFilter(t.facets, t.columns, t.ignore);
  // A column counts the rows that pass the facets on other columns (OpenRefine's rule), so a
  // facet's own column keeps showing the values it could switch to.
  const own = t.columns.map((c) =>
    t.facets.reduce((m, f, k) => (filter.applied[k] && f.column === c.name ? m | (1 << k) : m), 0),
  );
  const need = own.map((m) => filter.all & ~m);
  const stats = t.profile ? t.columns.map((c) => new ColumnStats(c.name, c.type)) : null;
  const ci = t.clusters ? t.columns.findIndex((c) => c.name === t.clusters!.column) : -1;
  if (t.clusters && ci < 0) throw new RangeError(`there is no column "${t.clusters.column}" here`);
  const values = new Map<string, number>();
  let clusterRows = 0;
  const matching = new Ints();
  const row: Value[] = new Array<Value>(t.columns.length);
  const total = await forEachChunk(spillFile(t.dir, t.side), (cols, first) => {
    const n = cols[0]?.length ?? 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < row.length; c++) row[c] = cols[c + 1][i] as Value;
      const mask = filter.mask(row);
      if (mask === filter.all) matching.push(first + i);
      if (stats)
        for (let c = 0; c < row.length; c++) if ((mask & need[c]) === need[c]) stats[c].add(row[c]);
      if (ci >= 0 && (mask & need[ci]) === need[ci]) {
        const v = facetText(row[ci]);
        if (v !== null) {
          values.set(v, (values.get(v) ?? 0) + 1);
          clusterRows++;
        }
      }
    }
  });
  if (t.rowsFile) {
    // Written whole under another name first: a reader never sees half a file.
    writeInts(`${t.rowsFile}.part`, matching.a.subarray(0, matching.n));
    renameSync(`${t.rowsFile}.part`, t.rowsFile);
  }
  return {
    total,
    matching: matching.n,
    applied: filter.applied,
    profile: stats ? stats.map((s) => s.result(t.profile!.topN, t.profile!.bins)) : null,
    clusters: t.clusters
      ? {
          distinct: values.size,
          rows: clusterRows,
          clusters: clusterValues(
            [...values].map(([value, count]) => ({ value, count })),
            t.clusters.method,
          ),
        }
      : null,
  };
}
