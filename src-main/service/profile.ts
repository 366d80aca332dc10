/** Profiles a CSV file over all its rows. */
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { Profiler, type TableProfile } from '../engine/profile';
import { detach, rawValue } from '../engine/table';
import { statSync } from 'node:fs';
import { openCsv, type ReadReject, type SourceInfo } from '../io/csv-read';

export interface FileProfile extends TableProfile {
  source: Omit<SourceInfo, 'columns'>;
  rejects: ReadReject[];
  blankLines: number;
  /** The first rows as read (text), with their source lines, when asked for. */
  sample: { rows: (string | null)[][]; lines: number[] };
}

/** Profiles every row; `sampleRows` keeps that many of the first rows as they were read. */
export async function profileFile(
  path: string,
  settings: Partial<SourceSettings> = {},
  sampleRows = 0,
): Promise<FileProfile> {
  const src = await openCsv(path, settings);
  const profiler = new Profiler(src.info.columns);
  const rejects: ReadReject[] = [];
  const sample: FileProfile['sample'] = { rows: [], lines: [] };
  for await (const batch of src.batches((r) => rejects.push(r))) {
    for (let i = 0; i < batch.length && sample.rows.length < sampleRows; i++) {
      sample.rows.push(
        batch.columns.map((c) => {
          const v = rawValue(c, i);
          return v === null ? null : detach(String(v));
        }),
      );
      sample.lines.push(batch.line[i]);
    }
    profiler.add(batch);
  }
  const { columns: _columns, ...source } = src.info;
  return { ...profiler.result(), source, rejects, blankLines: src.stats.blankLines, sample };
}

/**
 * Profiles kept for the files last profiled, so that inspecting a file and then importing it
 * (or profiling it again) reads it once. A profile is reused while the file's size and time are
 * the same, for the same settings, and when it kept at least the rows asked for.
 */
export class ProfileCache {
  private readonly kept = new Map<string, { sampleRows: number; profile: Promise<FileProfile> }>();

  constructor(private readonly keep = 4) {}

  get(path: string, settings: Partial<SourceSettings> = {}, sampleRows = 0): Promise<FileProfile> {
    const st = statSync(path);
    const key = JSON.stringify([path, settings, st.size, st.mtimeMs]);
    const hit = this.kept.get(key);
    if (hit && hit.sampleRows >= sampleRows) return hit.profile;
    const profile = profileFile(path, settings, sampleRows);
    this.kept.delete(key);
    this.kept.set(key, { sampleRows, profile });
    // A profile that failed is not kept: the next ask tries again.
    profile.catch(() => this.kept.get(key)?.profile === profile && this.kept.delete(key));
    for (const k of this.kept.keys()) {
      if (this.kept.size <= this.keep) break;
      this.kept.delete(k);
    }
    return profile;
  }
}
