/**
 * Follows a run's log: the lines so far (or the last N), then each new line as the run writes
 * it, until the run ends or the caller stops. It reads the run store, so it follows runs
 * started by any process (the CLI, a schedule, the app) alike.
 */
import { openStore } from '../store/sqlite-store';
import type { LogRow } from '../store/store';

export interface FollowOptions {
  pipeline?: string;
  tail?: number;
  /** How often to look for new lines, in ms. */
  every?: number;
  signal?: AbortSignal;
  /** Only the lines there are now; do not wait for more. */
  once?: boolean;
}

/** Calls `onLine` for each line; resolves with the run's final status when it has ended. */
export async function followLogs(
  storePath: string,
  runId: string,
  onLine: (l: LogRow) => void,
  o: FollowOptions = {},
): Promise<string | null> {
  const store = openStore(storePath);
  try {
    let seen = 0;
    let first = true;
    for (;;) {
      // Read the status before the lines: a run that ended has written its last line by then.
      const status = store.getRun(runId)?.run.status ?? null;
      const lines = store.logs(runId);
      let from = seen;
      if (first && o.tail) {
        const mine = lines.map((l, i) => [l, i] as const).filter(([l]) => wanted(l, o));
        from = mine.length > o.tail ? mine[mine.length - o.tail][1] : 0;
      }
      first = false;
      for (let i = from; i < lines.length; i++) if (wanted(lines[i], o)) onLine(lines[i]);
      seen = lines.length;
      if (status !== 'running' || o.signal?.aborted || o.once) return status;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, o.every ?? 250);
        o.signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  } finally {
    store.close();
  }
}

const wanted = (l: LogRow, o: FollowOptions): boolean => !o.pipeline || l.pipeline === o.pipeline;
