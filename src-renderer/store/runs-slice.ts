import type { ProjectSlice, RunDetail, RunsSlice, Slice } from './types';
import { message, NO_RUNS, saveAs } from './common';

/**
 * The live states of a run found running (the window opened during it, or it began elsewhere):
 * its pipelines that have begun as they are, and the ones planned but not begun as queued.
 */
export function liveOf(detail: RunDetail, live: ProjectSlice['live']): ProjectSlice['live'] {
  const next = { ...live };
  for (const t of detail.tasks) next[t.pipeline] = { ...live[t.pipeline], status: t.status };
  for (const p of detail.queued) next[p] = { status: 'queued' };
  return next;
}

export const runsSlice: Slice<RunsSlice> = (set, get) => {
  const patch = (p: Partial<RunsSlice['runs']>): void => set({ runs: { ...get().runs, ...p } });
  const guard = async (f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (e) {
      patch({ error: message(e) });
    }
  };

  return {
    runs: { ...NO_RUNS, activeRunId: null },

    loadRuns: (f) =>
      guard(async () => {
        const filter = { ...get().runs.filter, ...f };
        patch({ filter });
        const list = await get().client.call('runs.list', {
          page: filter.page,
          page_size: 20,
          ...(filter.status ? { status: filter.status } : {}),
          ...(filter.pipeline ? { pipeline: filter.pipeline } : {}),
        });
        const active = list.items.find((r) => r.status === 'running');
        const known = get().runs.activeRunId;
        patch({ list, error: null, activeRunId: known ?? active?.id ?? null });
        // A run going on that this window has heard nothing of: what has begun, what waits.
        if (!known && active) {
          const detail = await get().client.call('runs.get', { run_id: active.id });
          if (detail.run.status === 'running') set({ live: liveOf(detail, get().live) });
        }
      }),

    openRun: (id) =>
      guard(async () => {
        const [selected, logs] = await Promise.all([
          get().client.call('runs.get', { run_id: id }),
          get().client.call('logs.get', { run_id: id, tail: 5000 }),
        ]);
        const same = get().runs.selected?.run.id === id;
        patch({
          selected,
          logs: logs.items,
          error: null,
          rejects: same ? get().runs.rejects : null,
        });
      }),

    startRun: (opts) =>
      guard(async () => {
        const { run_id } = await get().client.call('runs.start', {
          ...(opts?.pipelines ? { pipelines: opts.pipelines } : {}),
          only: opts?.only ?? false,
          // The target picked beside Run: a saved PostgreSQL connection takes the SQLite loads.
          ...(get().runTarget ? { target: 'postgres' as const, connection: get().runTarget! } : {}),
          // The engine picked beside it: every pipeline's steps here, or in PostgreSQL.
          ...(get().runEngine ? { engine: get().runEngine! } : {}),
        });
        // Its plan comes with its run.state event, here or in any window watching.
        patch({ activeRunId: run_id });
        await get().openRun(run_id);
        await get().loadRuns({ page: 1 });
      }),

    cancelRun: (id) =>
      guard(async () => {
        const { cancelled } = await get().client.call('runs.cancel', { run_id: id });
        // Cancelled only while running: a run that ended between the click and the call stays.
        if (!cancelled) patch({ error: `${id} had already ended: there was nothing to cancel.` });
      }),

    resumeRun: (id) =>
      guard(async () => {
        const { run_id } = await get().client.call('runs.resume', { run_id: id });
        patch({ activeRunId: run_id });
        await get().openRun(run_id);
        await get().loadRuns({ page: 1 });
      }),

    loadRejects: (id, page = 1) =>
      guard(async () => {
        patch({
          rejects: await get().client.call('rejects.list', { run_id: id, page, page_size: 50 }),
        });
      }),

    download: (what, runId) =>
      guard(async () => {
        if (what === 'rejects') {
          const r = await get().client.call('rejects.export', { run_id: runId });
          return saveAs(`${runId}-rejects.csv`, 'text/csv', r.csv);
        }
        const r = await get().client.call('reports.export', {
          run_id: runId,
          format: what === 'report-csv' ? 'csv' : 'json',
        });
        saveAs(r.filename, r.content_type, r.content);
      }),
  };
};
