/** Profiles of the project's files, kept while they do not change. */
import { statSync } from 'node:fs';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { profileFile, type FileProfile } from '../io/profile-file';

export { profileFile, type FileProfile } from '../io/profile-file';

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
