import type { PreviewSlice, Slice } from './types';
import { ApiCallError } from '../api/client';
import { message } from './project-slice';

export const previewSlice: Slice<PreviewSlice> = (set, get) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;

  return {
    preview: { result: null, loading: false, error: null, offset: 0, limit: 200 },
    profile: null,

    requestPreview(opts) {
      if (opts?.offset !== undefined) set({ preview: { ...get().preview, offset: opts.offset } });
      if (timer) clearTimeout(timer);
      // Edits in quick succession make one preview; a newer one cancels the older on the server.
      timer = setTimeout(() => {
        timer = null;
        void run();
      }, 250);
    },

    async loadProfile(path) {
      set({ profile: { path, result: null, error: null, column: get().profile?.column ?? null } });
      try {
        const result = await get().client.call('profiles.get', { path });
        const p = get().profile;
        if (p?.path !== path) return;
        set({
          profile: { ...p, result, column: p.column ?? String(result.columns[0]?.name ?? '') },
        });
      } catch (e) {
        set({ profile: { path, result: null, error: message(e), column: null } });
      }
    },

    selectColumn(column) {
      const p = get().profile;
      if (p) set({ profile: { ...p, column } });
    },
  };

  async function run(): Promise<void> {
    const ed = get().editor;
    if (!ed || ed.selected === null) return;
    if (ed.issues.length) {
      set({
        preview: {
          ...get().preview,
          loading: false,
          error: 'the recipe has problems: fix them to see the preview',
        },
      });
      return;
    }
    const mine = ++seq;
    const { offset, limit } = get().preview;
    set({ preview: { ...get().preview, loading: true, error: null } });
    try {
      const result = await get().client.call('pipelines.preview', {
        name: ed.name,
        step: ed.selected + 1,
        offset,
        limit,
        ...(ed.yaml !== ed.saved ? { yaml: ed.yaml } : {}),
      });
      if (mine !== seq) return;
      set({ preview: { ...get().preview, result, loading: false, error: null } });
    } catch (e) {
      if (mine !== seq || (e instanceof ApiCallError && e.code === 'conflict')) return;
      set({ preview: { ...get().preview, loading: false, error: message(e) } });
    }
  }
};
