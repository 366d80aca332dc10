/** Profiles a CSV file over all its rows (on a worker of the pool, or on this thread). */
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import type { TableProfile } from '../engine/profile';
import { openCsv, SourceError, type ReadReject, type SourceInfo } from './csv-read';
import type { ReadStats } from './csv-types';
import { profileRows, type ProfileSample } from './profile-rows';

export interface FileProfile extends TableProfile {
  source: Omit<SourceInfo, 'columns'>;
  rejects: ReadReject[];
  blankLines: number;
  /** The first rows as read (text), with their source lines, when asked for. */
  sample: ProfileSample;
}

/** Profiles every row; `sampleRows` keeps that many of the first rows as they were read. */
export async function profileFile(
  path: string,
  settings: Partial<SourceSettings> = {},
  sampleRows = 0,
): Promise<FileProfile> {
  const src = await openCsv(path, settings);
  if (!src.read) throw new SourceError('is not a file that can be profiled', path);
  const { info, stats } = src;
  const { quote, bomBytes, stamp } = src.read;
  const rejects: ReadReject[] = [];
  const sample: FileProfile['sample'] = { rows: [], lines: [] };
  const profiler = await profileRows(
    { info, stats, quote, bomBytes, stamp },
    sampleRows,
    (r) => rejects.push(r),
    sample,
  );
  return fileProfile(profiler.result(), src.info, stats, rejects, sample);
}

/** A profile with what reading the file found. */
export function fileProfile(
  profile: TableProfile,
  info: SourceInfo,
  stats: ReadStats,
  rejects: ReadReject[],
  sample: FileProfile['sample'],
): FileProfile {
  const { columns: _columns, ...source } = info;
  return { ...profile, source, rejects, blankLines: stats.blankLines, sample };
}
