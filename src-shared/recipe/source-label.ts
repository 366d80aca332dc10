/**
 * What a source reads, for people. Apart from pipeline.ts (its zod schemas) so that a run's
 * thread, which names its source, does not load zod.
 */
import type { SourceSettings } from './pipeline';

/** What a source reads, for people: the file, `output of sales`, `PostgreSQL table dw.orders`. */
export function sourceLabel(s: Pick<SourceSettings, 'path' | 'pipeline' | 'postgres'>): string {
  if (s.path !== undefined) return s.path;
  if (s.pipeline !== undefined) return `output of ${s.pipeline}`;
  const pg = s.postgres!;
  return pg.table !== undefined ? `PostgreSQL table ${pg.table}` : `PostgreSQL query "${pg.query}"`;
}
