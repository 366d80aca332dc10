/** Profiles a CSV file over all its rows. */
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { Profiler, type TableProfile } from '../engine/profile';
import { openCsv, type ReadReject, type SourceInfo } from '../io/csv-read';

export interface FileProfile extends TableProfile {
  source: Omit<SourceInfo, 'columns'>;
  rejects: ReadReject[];
  blankLines: number;
}

export async function profileFile(
  path: string,
  settings: Partial<SourceSettings> = {},
): Promise<FileProfile> {
  const src = await openCsv(path, settings);
  const profiler = new Profiler(src.info.columns);
  const rejects: ReadReject[] = [];
  for await (const batch of src.batches((r) => rejects.push(r))) profiler.add(batch);
  const { columns: _columns, ...source } = src.info;
  return { ...profiler.result(), source, rejects, blankLines: src.stats.blankLines };
}
