import type { ProjectSlice, Slice } from './types';
import { createClient } from '../api/client';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
export { message };

export const projectSlice: Slice<ProjectSlice> = (set, get) => ({
  client: createClient(),
  project: null,
  projectError: null,
  view: 'pipelines',
  live: {},
  setView: (view) => set({ view }),

  async loadProject() {
    try {
      const project = await get().client.call('project.get');
      set({ project, projectError: null });
    } catch (e) {
      set({ projectError: message(e) });
    }
  },

  onEvent(e) {
    const runs = get().runs;
    if (e.type === 'run.state') {
      if (e.status === 'running') set({ live: {}, runs: { ...runs, activeRunId: e.run_id } });
      else {
        set({
          runs: { ...runs, activeRunId: runs.activeRunId === e.run_id ? null : runs.activeRunId },
        });
        void get().loadProject();
        void get().loadRuns();
        if (runs.selected?.run.id === e.run_id) void get().openRun(e.run_id);
      }
    } else if (e.type === 'task.state') {
      set({
        live: { ...get().live, [e.pipeline]: { ...get().live[e.pipeline], status: e.status } },
      });
      if (runs.selected?.run.id === e.run_id) void get().openRun(e.run_id);
    } else if (e.type === 'run.progress') {
      set({
        live: {
          ...get().live,
          [e.pipeline]: {
            status: 'running',
            rows: e.rows,
            rps: e.rows_per_second,
            stage: e.stage,
          },
        },
      });
    } else if (e.type === 'log' && runs.selected?.run.id === e.run_id) {
      const line = {
        ts: new Date().toISOString(),
        level: e.level as 'info',
        pipeline: e.pipeline,
        message: e.message,
      };
      set({ runs: { ...get().runs, logs: [...get().runs.logs, line].slice(-5000) } });
    }
  },
});
