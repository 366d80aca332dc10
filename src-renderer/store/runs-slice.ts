import type { Project, ProjectSlice, RunsSlice, Slice } from './types';
import { message, NO_RUNS, saveAs } from './common';

/**
 * The pipelines a run will run, as the service plans it: all, the ones named, or those and
 * everything downstream of them.
 */
export function planOf(
  project: Project | null,
  opts?: { pipelines?: string[]; only?: boolean },
): string[] {
  const all = project?.pipelines ?? [];
  if (!opts?.pipelines) return all.map((p) => p.name);
  const plan = new Set(opts.pipelines);
  for (let grew = !opts.only; grew;) {
    grew = false;
    for (const p of all)
      if (!plan.has(p.name) && p.upstream.some((u) => plan.has(u))) {
        plan.add(p.name);
        grew = true;
      }
  }
  return all.filter((p) => plan.has(p.name)).map((p) => p.name);
}

/** The live states with the pipelines of a plan that have not begun marked queued. */
function withQueued(live: ProjectSlice['live'], plan: string[]): ProjectSlice['live'] {
  const waiting = plan.filter((p) => !live[p]);
  return { ...live, ...Object.fromEntries(waiting.map((p) => [p, { status: 'queued' as const }])) };
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
        patch({ list, error: null, activeRunId: get().runs.activeRunId ?? active?.id ?? null });
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
        });
        // Its events may have come first: pipelines already begun keep their state.
        const plan = planOf(get().project, opts);
        set({ live: withQueued(get().live, plan) });
        patch({ activeRunId: run_id, plans: { ...get().runs.plans, [run_id]: plan } });
        await get().openRun(run_id);
        await get().loadRuns({ page: 1 });
      }),

    cancelRun: (id) =>
      guard(async () => {
        await get().client.call('runs.cancel', { run_id: id });
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
