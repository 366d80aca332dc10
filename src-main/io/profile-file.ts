/** Profiles a CSV file over all its rows (on a worker of the pool, or on this thread). */
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { Profiler, type TableProfile } from '../engine/profile';
import { detach, rawValue } from '../engine/table';
import { openCsv, type ReadReject, type SourceInfo } from './csv-read';

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
