/**
 * The profile of the selected step's data (after it) with the preview's facets, and the
 * clusters of one of its text columns; a merge of clusters becomes one replace step.
 */
import { addStep } from '../features/editor/recipe-doc';
import { ApiCallError } from '../api/client';
import { message } from './common';
import type { Slice, StepProfileSlice } from './types';

/** Top values and histogram bins a profile asks for. */
const TOP = 12;
const BINS = 12;

export const stepProfileSlice: Slice<StepProfileSlice> = (set, get) => {
  let seq = 0;
  let clusterSeq = 0;

  return {
    stepProfile: null,
    clusters: null,
    profileOpen: true,

    setProfileOpen(open) {
      set({ profileOpen: open });
      if (open) void get().loadStepProfile();
    },

    async loadStepProfile() {
      const { of, facets } = get().preview;
      if (!of) return;
      // A scan over every row: not for a closed panel, unless facets need their count.
      if (!get().profileOpen && !facets.length) return;
      const mine = ++seq;
      const key = JSON.stringify([of, facets]);
      const was = get().stepProfile;
      // The last answer stays on screen (dimmed) while the next is computed.
      set({
        stepProfile: {
          key,
          of,
          result: was?.of === of ? was.result : null,
          loading: true,
          error: null,
        },
      });
      try {
        const result = await get().client.call('pipelines.profile', {
          ...of,
          side: 'after',
          facets,
          top: TOP,
          bins: BINS,
        });
        if (mine !== seq) return;
        set({ stepProfile: { key, of, result, loading: false, error: null } });
      } catch (e) {
        if (mine !== seq || (e instanceof ApiCallError && e.code === 'conflict')) return;
        set({ stepProfile: { key, of, result: null, loading: false, error: message(e) } });
      }
    },

    async findClusters(column, method) {
      const { of, facets } = get().preview;
      if (!of) return;
      const mine = ++clusterSeq;
      set({ clusters: { column, method, of, result: null, loading: true, error: null } });
      try {
        const result = await get().client.call('pipelines.clusters', {
          ...of,
          side: 'after',
          facets,
          column,
          method,
        });
        if (mine !== clusterSeq) return;
        set({ clusters: { column, method, of, result, loading: false, error: null } });
      } catch (e) {
        if (mine !== clusterSeq) return;
        set({ clusters: { column, method, of, result: null, loading: false, error: message(e) } });
      }
    },

    mergeClusters(column, merges) {
      const ed = get().editor;
      if (!ed || ed.selected === null) return;
      const values: Record<string, string> = {};
      for (const m of merges) for (const v of m.values) if (v !== m.to) values[v] = m.to;
      if (!Object.keys(values).length) return;
      const at = ed.selected + 1;
      get().edit((yaml) =>
        addStep(yaml, { step: 'replace', name: `merge ${column}`, columns: [column], values }, at),
      );
      if ((get().editor?.steps.length ?? 0) > at) get().selectStep(at);
      set({ clusters: null });
    },
  };
};
