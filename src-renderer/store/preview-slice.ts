import type { PreviewRows, PreviewSlice, Slice } from './types';
import { previewCsv, previewCsvName } from '../../src-shared/preview-csv';
import { ApiCallError } from '../api/client';
import { message, saveAs } from './common';

/** Rows per block the preview grids fetch as they scroll. */
export const PREVIEW_BLOCK = 200;

export const previewSlice: Slice<PreviewSlice> = (set, get) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;
  let exportSeq = 0;
  const patch = (p: Partial<PreviewSlice['preview']>): void =>
    set({ preview: { ...get().preview, ...p } });

  return {
    preview: {
      result: null,
      of: null,
      loading: false,
      read: null,
      error: null,
      exporting: null,
      facets: [],
      matching: null,
    },
    profile: null,

    requestPreview() {
      if (timer) clearTimeout(timer);
      // Edits in quick succession make one preview; a newer one cancels the older on the server.
      timer = setTimeout(() => {
        timer = null;
        void run();
      }, 250);
    },

    async previewRows(side, offset, limit) {
      const { of, facets: all } = get().preview;
      if (!of) throw new Error('there is no preview to read rows of');
      // The grids show only the rows that pass the facets; the dropped rows are never faceted.
      const facets = side === 'dropped' ? [] : all;
      const page = await get().client.call('pipelines.previewRows', {
        ...of,
        side,
        offset,
        limit,
        facets,
      });
      const now = get().preview;
      if (side !== 'dropped' && facets.length && now.of === of && now.facets === facets) {
        // How many rows match on this side: the export buttons and the grids' headings say.
        const m = now.matching?.of === of && now.matching.facets === facets ? now.matching : null;
        patch({ matching: { ...m, of, facets, [side]: page.total } });
      }
      return page;
    },

    async exportPreview(side) {
      const { result, of, facets: all } = get().preview;
      if (!result || !of) return;
      const mine = ++exportSeq;
      const facets = side === 'dropped' ? [] : all;
      // Every block from the preview and facets the export began with (the next edit stops it).
      const rows = (offset: number, limit: number): Promise<PreviewRows> =>
        get().client.call('pipelines.previewRows', { ...of, side, offset, limit, facets });
      patch({ exporting: { side, done: 0, total: 0 } });
      try {
        const parts = await previewCsv(rows, (done, total) => {
          if (mine !== exportSeq) return false;
          patch({ exporting: { side, done, total } });
          return true;
        });
        if (parts) saveAs(previewCsvName(of.name, of.step, side, facets), 'text/csv', parts);
      } catch (e) {
        if (mine === exportSeq) patch({ error: `export failed: ${message(e)}` });
      } finally {
        if (mine === exportSeq) patch({ exporting: null });
      }
    },

    addFacet(f) {
      const rest = get().preview.facets.filter((x) => x.column !== f.column || x.kind !== f.kind);
      patch({ facets: [...rest, f] });
      void get().loadStepProfile();
    },

    removeFacet(index) {
      patch({ facets: get().preview.facets.filter((_, i) => i !== index) });
      void get().loadStepProfile();
    },

    clearFacets() {
      patch({ facets: [] });
      void get().loadStepProfile();
    },

    cancelExport() {
      exportSeq++;
      patch({ exporting: null });
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
    if (get().preview.exporting) get().cancelExport();
    const ed = get().editor;
    if (!ed || ed.selected === null) return;
    // The editor asks again once the service has checked the text (a known misfit is not run).
    if (ed.checking) return;
    if (ed.issues.length) {
      patch({ loading: false, error: 'the recipe has problems: fix them to see the preview' });
      return;
    }
    const mine = ++seq;
    const of = {
      name: ed.name,
      step: ed.selected + 1,
      ...(ed.yaml !== ed.saved ? { yaml: ed.yaml } : {}),
    };
    patch({ loading: true, read: null, error: null });
    try {
      // The first block of each side comes with the counts, so rows show with them.
      const result = await get().client.call('pipelines.preview', {
        ...of,
        offset: 0,
        limit: PREVIEW_BLOCK,
      });
      if (mine !== seq) return;
      patch({ result, of, loading: false, error: null });
      void get().loadStepProfile();
    } catch (e) {
      if (mine !== seq || (e instanceof ApiCallError && e.code === 'conflict')) return;
      patch({ loading: false, error: message(e) });
    }
  }
};
