/**
 * The run store as the service reads it: opened for one request, runs looked up within a scope
 * (a project's, or the whole store's), logs followed. The project service builds on it, and the
 * CLI uses it alone for a store without a project.
 */
import { resolve } from 'node:path';
import type { PdfPrinter } from '../reports/pdf';
import { withRunStore, openRunStore } from '../store/open';
import type { LogRow, RunStore } from '../store/store';
import type { Handlers, RunWithTasks, StoreContext } from './context';
import { ApiFailure, withRequestErrors } from './errors';
import { followLogs, type FollowOptions } from './follow-logs';
import { logHandlers } from './handlers/logs';
import { rejectHandlers } from './handlers/rejects';
import { reportHandlers } from './handlers/reports';
import { runRecordHandlers } from './handlers/runs';

/** The methods a run store alone can answer. */
export type StoreMethod =
  | 'runs.list'
  | 'runs.get'
  | 'runs.recipe'
  | 'logs.get'
  | 'rejects.list'
  | 'rejects.export'
  | 'rejects.retry'
  | 'reports.export'
  | 'reports.download'
  | 'outputs.list'
  | 'outputs.page'
  | 'outputs.download';

/** Run `runId` if it is in `scope` (a project folder; null: any), else a not_found failure. */
export function runIn(store: RunStore, runId: string, scope: string | null): RunWithTasks {
  const r = store.getRun(runId);
  if (!r || (scope !== null && resolve(r.run.projectDir) !== scope))
    throw new ApiFailure(
      'not_found',
      scope === null
        ? `there is no run ${runId} in the run store`
        : `there is no run ${runId} of this project`,
    );
  return r;
}

/** The handlers of every store method, for a context. */
export function storeHandlers(ctx: StoreContext): Pick<Handlers, StoreMethod> {
  return {
    ...runRecordHandlers(ctx),
    ...logHandlers(ctx),
    ...rejectHandlers(ctx),
    ...reportHandlers(ctx),
  };
}

/**
 * A run store without a project: every run in it (the CLI's `--store`, or the user's store).
 *
 * @example const runs = await new StoreService(defaultStorePath()).handlers['runs.list']({ page: 1, page_size: 20 });
 */
export class StoreService implements StoreContext {
  readonly scope = null;

  constructor(
    readonly storePath: string,
    readonly folders: { data?: string; allow?: string[] } = {},
    readonly printPdf?: PdfPrinter,
  ) {}

  /** Runs `f` with the store open, and closes it. */
  withStore<T>(f: (s: RunStore) => T | Promise<T>): Promise<T> {
    return withRunStore(null, this.storePath, f);
  }

  runOf(store: RunStore, runId: string): RunWithTasks {
    return runIn(store, runId, null);
  }

  /**
   * Follows a run's log (lines so far, then new ones, until the run ends) with a store opened
   * for the follow and closed after it; an unknown run fails at once with not_found.
   */
  async followLogs(
    runId: string,
    o: FollowOptions,
    onLine: (l: LogRow) => void,
  ): Promise<{ done: Promise<string | null> }> {
    const store = openRunStore(null, this.storePath);
    try {
      this.runOf(store, runId);
    } catch (e) {
      store.close();
      throw e;
    }
    return { done: followLogs(store, runId, onLine, o).finally(() => store.close()) };
  }

  readonly handlers: Pick<Handlers, StoreMethod> = withRequestErrors(storeHandlers(this));
}
