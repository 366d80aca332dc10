import type { ProjectSlice, Slice, State } from './types';
import { ApiCallError, createClient } from '../api/client';
import { message, NO_RUNS } from './common';

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

  projects: {
    open: false,
    recent: null,
    error: null,
    canCreate: null,
    busy: false,
    creating: false,
  },
  shortcutsOpen: false,
  showShortcuts: (shortcutsOpen) => set({ shortcutsOpen }),

  async showProjects(open, opts) {
    const creating = open && (opts?.create ?? false);
    set({ projects: { ...get().projects, open, creating, error: null, canCreate: null } });
    if (!open) return;
    try {
      const recent = await get().client.call('projects.recent');
      set({ projects: { ...get().projects, recent } });
    } catch (e) {
      set({ projects: { ...get().projects, error: message(e) } });
    }
  },

  async openProject(dir, create = false) {
    set({ projects: { ...get().projects, busy: true, error: null, canCreate: null } });
    try {
      await get().client.call('projects.open', { dir, create });
      set({ projects: { ...get().projects, open: false, busy: false } });
      await switched(get, set);
    } catch (e) {
      const canCreate =
        e instanceof ApiCallError &&
        (e.details as { can_create?: boolean } | undefined)?.can_create === true
          ? dir
          : null;
      set({ projects: { ...get().projects, busy: false, error: message(e), canCreate } });
    }
  },

  onEvent(e) {
    const runs = get().runs;
    if (e.type === 'project.opened') {
      // Opened here or in another window on the same engine.
      if (e.dir !== get().project?.dir) void switched(get, set);
    } else if (e.type === 'preview.progress') {
      const p = get().preview;
      if (p.loading && get().editor?.name === e.pipeline) set({ preview: { ...p, read: e.rows } });
    } else if (e.type === 'run.state') {
      if (e.status === 'running') {
        // A new run, started here or anywhere else: the last one's states go, another run's
        // waiting pipelines stay, and this one's plan waits until each pipeline begins.
        const queued = Object.entries(get().live).filter(([, l]) => l.status === 'queued');
        const planned = (e.planned ?? []).map((p) => [p, { status: 'queued' as const }]);
        set({
          live: Object.fromEntries([...queued, ...planned]),
          runs: { ...runs, activeRunId: e.run_id },
        });
        if (runs.selected?.run.id === e.run_id) void get().openRun(e.run_id);
        // The runs list shows it at once, wherever it was started.
        void get().loadRuns();
      } else {
        set({
          runs: { ...runs, activeRunId: runs.activeRunId === e.run_id ? null : runs.activeRunId },
        });
        // The project's reload brings each pipeline's finished result; the live states (some
        // still queued or cancelled, which did nothing) give way to it once it is there.
        void get()
          .loadProject()
          .then(() => {
            // Another run still going keeps its own pipelines' states.
            const other = get().runs.activeRunId !== null;
            const keep = Object.entries(get().live).filter(
              ([, l]) => other && (l.status === 'running' || l.status === 'queued'),
            );
            set({ live: Object.fromEntries(keep) });
          });
        void get().loadRuns();
        if (runs.selected?.run.id === e.run_id) void get().openRun(e.run_id);
      }
    } else if (e.type === 'task.state') {
      set({
        live: { ...get().live, [e.pipeline]: { ...get().live[e.pipeline], status: e.status } },
      });
      if (runs.selected?.run.id === e.run_id) void get().openRun(e.run_id);
      // A listed run's row counts its pipelines begun.
      if (runs.list?.items.some((r) => r.id === e.run_id)) void get().loadRuns();
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
        level: e.level,
        pipeline: e.pipeline,
        message: e.message,
      };
      set({ runs: { ...get().runs, logs: [...get().runs.logs, line].slice(-5000) } });
    }
  },
});

/** Another project is open: what was shown of the last one goes, and the new one loads. */
async function switched(get: () => State, set: (p: Partial<State>) => void): Promise<void> {
  set({
    project: null,
    editor: null,
    preview: { ...get().preview, result: null, of: null, loading: false, error: null },
    profile: null,
    live: {},
    runs: { ...get().runs, ...NO_RUNS },
    view: 'pipelines',
  });
  await get().loadProject();
  await get().loadRuns();
}
