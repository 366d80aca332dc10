/**
 * Scans of a computed preview's sides with facets (preview/side-scan.ts, on a worker), kept so
 * that the profile, its clusters and the filtered grids ask once: the matching rows go to a file
 * in the preview's folder (deleted with it), the answers are kept for the last few asks.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Facet } from '../../src-shared/api/contract';
import type { ClusterMethod } from '../engine/cluster';
import type { ScanResult, ScanTask } from '../preview/side-scan';
import type { PreviewMeta } from '../preview/step-preview';
import { PreviewFailed, type WorkerPool } from '../orchestrator/worker-pool';
import { ApiFailure } from './errors';

export interface ScanAsk {
  dir: string;
  meta: PreviewMeta;
  side: 'before' | 'after';
  facets: Facet[];
  profile?: { topN: number; bins: number };
  clusters?: { column: string; method: ClusterMethod };
}

/**
 * Facets a side does not apply though it has the column: before a step that changed the
 * column's type (text dates parsed, say), a range or value of the typed column would match
 * nothing there, so the facet filters the data after the step only.
 */
export function ignoredBefore(
  meta: PreviewMeta,
  side: 'before' | 'after',
  facets: Facet[],
): boolean[] {
  return facets.map((f) => {
    if (side === 'after') return false;
    const mine = meta.before.columns.find((c) => c.name === f.column);
    const after = meta.after.columns.find((c) => c.name === f.column);
    return !!mine && !!after && mine.type !== after.type;
  });
}

export class FacetScans {
  private readonly kept = new Map<string, Promise<ScanResult>>();
  /** The last scan that writes each rows file: the grids' rows wait for it, not a scan again. */
  private readonly writing = new Map<string, Promise<ScanResult>>();

  constructor(
    private readonly pool: () => WorkerPool,
    private readonly keep = 8,
  ) {}

  /** The file of the rows of `side` that pass `facets` (as scanSide writes it). */
  rowsFile(dir: string, side: 'before' | 'after', facets: Facet[]): string {
    const h = createHash('sha256').update(JSON.stringify(facets)).digest('hex').slice(0, 20);
    return join(dir, `${side}-${h}.rows`);
  }

  /** A scan as asked, kept or made now. */
  scan(a: ScanAsk): Promise<ScanResult> {
    const rowsFile = this.rowsFile(a.dir, a.side, a.facets);
    const key = JSON.stringify([a.dir, a.side, a.facets, a.profile, a.clusters]);
    const hit = this.kept.get(key);
    // A kept answer whose rows file went with its preview is made again.
    if (hit && existsSync(rowsFile)) {
      this.kept.delete(key);
      this.kept.set(key, hit);
      return hit;
    }
    const task: ScanTask = {
      dir: a.dir,
      side: a.side,
      columns: a.meta[a.side].columns,
      facets: a.facets,
      ignore: ignoredBefore(a.meta, a.side, a.facets),
      rowsFile,
      profile: a.profile,
      clusters: a.clusters,
    };
    const made = this.pool()
      .scan(task)
      .catch((e: unknown) => {
        this.kept.delete(key);
        throw e instanceof PreviewFailed ? new ApiFailure('bad_request', e.message) : e;
      });
    this.kept.set(key, made);
    this.writing.delete(rowsFile);
    this.writing.set(rowsFile, made);
    for (const k of this.writing.keys()) {
      if (this.writing.size <= this.keep) break;
      this.writing.delete(k);
    }
    void made.then(
      () => undefined,
      () => this.writing.get(rowsFile) === made && this.writing.delete(rowsFile),
    );
    for (const k of this.kept.keys()) {
      if (this.kept.size <= this.keep) break;
      this.kept.delete(k);
    }
    return made;
  }

  /** The rows file of `facets` on `side`, scanned first when it is not there yet. */
  async rows(
    dir: string,
    meta: PreviewMeta,
    side: 'before' | 'after',
    facets: Facet[],
  ): Promise<{ file: string; scan: ScanResult }> {
    const file = this.rowsFile(dir, side, facets);
    // A profile of the same facets (asked at the same time, as the window does) writes it too.
    const pending = this.writing.get(file);
    const scan = await (pending ?? this.scan({ dir, meta, side, facets })).catch(() =>
      this.scan({ dir, meta, side, facets }),
    );
    if (!existsSync(file)) return { file, scan: await this.scan({ dir, meta, side, facets }) };
    return { file, scan };
  }
}
