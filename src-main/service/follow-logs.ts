/**
 * Follows a run's log: the lines so far (or the last N), then each new line as the run writes
 * it, until the run ends or the caller stops. It reads the run store, so it follows runs
 * started by any process (the CLI, a schedule, the app) alike.
 */
import type { LogRow, RecordsStore, RunsStore } from '../store/store';

export interface FollowOptions {
  pipeline?: string;
  tail?: number;
  /** How often to look for new lines, in ms. */
  every?: number;
  signal?: AbortSignal;
  /** Only the lines there are now; do not wait for more. */
  once?: boolean;
}

/**
 * Calls `onLine` for each line; resolves with the run's final status when it has ended. The
 * caller opened `store`, and closes it once this has resolved.
 */
export async function followLogs(
  store: Pick<RunsStore, 'recoverInterrupted' | 'getRun'> & Pick<RecordsStore, 'logsAfter'>,
  runId: string,
  onLine: (l: LogRow) => void,
  o: FollowOptions = {},
): Promise<string | null> {
  let last = 0;
  let first = true;
  for (;;) {
    // A run whose process died while we follow it is marked interrupted (with a last line).
    if (!first) store.recoverInterrupted();
    // Read the status before the lines: a run that ended has written its last line by then.
    const status = store.getRun(runId)?.run.status ?? null;
    // Only the lines written since the last look: a long run's log is not read again each time.
    const all = store.logsAfter(runId, last);
    if (all.length) last = all[all.length - 1].id;
    const lines = all.filter((l) => wanted(l, o));
    const from = first && o.tail ? Math.max(0, lines.length - o.tail) : 0;
    first = false;
    for (let i = from; i < lines.length; i++) {
      const { id: _id, ...line } = lines[i];
      onLine(line);
    }
    if (status !== 'running' || o.signal?.aborted || o.once) return status;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, o.every ?? 250);
      o.signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}

const wanted = (l: LogRow, o: FollowOptions): boolean => !o.pipeline || l.pipeline === o.pipeline;
