/** Profiles of the project's files, kept while they do not change, and their API shapes. */
import { statSync } from 'node:fs';
import type { ColumnProfile as ApiColumnProfile, Result } from '../../src-shared/api/contract';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import type { ColumnProfile } from '../engine/profile';
import type { FileProfile } from '../io/profile-file';
import type { profileFileSplit } from '../orchestrator/profile-split';

export type { FileProfile } from '../io/profile-file';
/**
 * Profiles a file over all its rows, on both cores when it is large (profile-split.ts), whose
 * code loads when a file is profiled here: `sluice import --run` profiles on a worker instead.
 */
export const profileFile: typeof profileFileSplit = async (...args) =>
  (await import('../orchestrator/profile-split')).profileFileSplit(...args);

type Profile = (
  path: string,
  settings: Partial<SourceSettings>,
  sampleRows: number,
) => Promise<FileProfile>;

/**
 * Profiles kept for the files last profiled, so that inspecting a file and then importing it
 * (or profiling it again) reads it once. A profile is reused while the file's size and time are
 * the same, for the same settings, and when it kept at least the rows asked for.
 */
export class ProfileCache {
  private readonly kept = new Map<string, { sampleRows: number; profile: Promise<FileProfile> }>();

  constructor(
    /** How a file is profiled: on a worker thread in the service, so no request waits on it. */
    private readonly profile: Profile = profileFile,
    private readonly keep = 4,
  ) {}

  get(path: string, settings: Partial<SourceSettings> = {}, sampleRows = 0): Promise<FileProfile> {
    const st = statSync(path);
    const key = JSON.stringify([path, settings, st.size, st.mtimeMs]);
    const hit = this.kept.get(key);
    if (hit && hit.sampleRows >= sampleRows) return hit.profile;
    const profile = this.profile(path, settings, sampleRows);
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

/** A column's profile as the API answers it (imports.inspect, profiles.get). */
export function apiColumnProfile(c: ColumnProfile): ApiColumnProfile {
  return {
    name: c.name,
    type: c.guess.type,
    confidence: c.guess.confidence,
    formats: c.guess.formats ?? null,
    note: c.guess.note ?? null,
    misfits: c.guess.misfits,
    null_count: c.nullCount,
    distinct_count: c.distinctCount,
    distinct_capped: c.distinctCapped,
    min: c.min,
    max: c.max,
    top_values: c.topValues,
    length_min: c.lengthMin,
    length_max: c.lengthMax,
    histogram: c.histogram,
  };
}

/** A file's profile as profiles.get answers it. */
export function apiProfile(p: FileProfile): Result<'profiles.get'> {
  const s = p.source;
  return {
    rows: p.rows,
    suggested_key: p.suggestedKey,
    source: {
      path: s.path,
      encoding: s.encoding,
      encoding_reason: s.encodingReason,
      delimiter: s.delimiter,
      newline: s.newline,
      header: s.header,
      bytes: s.bytes,
      compression: s.compression,
      invalid_bytes: s.invalidBytes,
      warnings: s.warnings,
    },
    columns: p.columns.map(apiColumnProfile),
    rejected_lines: p.rejects.length,
    blank_lines: p.blankLines,
  };
}
