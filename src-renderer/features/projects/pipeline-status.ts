/**
 * What the window shows for a pipeline: its live status in a run being watched (queued until it
 * starts), else its last finished run's; and the rows it wrote. A pipeline that failed wrote
 * nothing, whatever it had read, and a stale count from an earlier run is not shown beside a
 * new status.
 */
import type { Project, ProjectSlice } from '../../store/types';
import { plural } from '../../components/plural';

type Pipeline = Project['pipelines'][number];
type Live = ProjectSlice['live'][string] | undefined;

export function shownStatus(p: Pipeline, live: Live): string {
  return live?.status ?? p.last_run?.status ?? 'never';
}

/** "12,345 rows" read so far, written, or 0 for a failure; '' when there is nothing to say. */
export function shownRows(p: Pipeline, live: Live): string {
  const status = shownStatus(p, live);
  if (status === 'failed' || status === 'upstream_failed') return plural(0, 'row');
  if (live?.status === 'running')
    return live.rows === undefined ? '' : `${plural(live.rows, 'row')} read`;
  // Live and finished: its new count comes with the project's reload at the run's end.
  if (live) return '';
  return p.last_run ? plural(p.last_run.rows_out, 'row') : '';
}
