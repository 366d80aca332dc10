/**
 * What the step forms ask of the service: each step's input columns (from the recipe alone,
 * refreshed as it is edited), an expression's type and problems, and a join's key counts.
 */
import type { FormsSlice, Slice, State } from './types';
import { message } from './common';

/** The recipe the editor holds, as the preview sends it: the text only when it is unsaved. */
const recipeOf = (s: State): { name: string; yaml?: string } | null => {
  const ed = s.editor;
  if (!ed) return null;
  return { name: ed.name, ...(ed.yaml !== ed.saved ? { yaml: ed.yaml } : {}) };
};

export const formsSlice: Slice<FormsSlice> = (set, get) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;
  /** Resolves each time an answer for some text arrives (freshColumns waits on it). */
  let arrived: (() => void)[] = [];
  const settle = (): void => {
    const waiting = arrived;
    arrived = [];
    for (const f of waiting) f();
  };
  return {
    columns: null,

    loadColumns() {
      const ed = get().editor;
      if (!ed) return;
      const have = get().columns;
      if (have && have.name === ed.name && have.asked === ed.yaml) return;
      if (timer) clearTimeout(timer);
      // Keystrokes in a burst ask once; an answer for an older text is dropped.
      timer = setTimeout(() => {
        timer = null;
        const of = recipeOf(get());
        const yaml = get().editor?.yaml;
        if (!of || yaml === undefined) return;
        const mine = ++seq;
        get()
          .client.call('pipelines.columns', of)
          .then((result) => {
            if (mine === seq)
              set({ columns: { name: of.name, yaml, asked: yaml, result, error: null } });
          })
          .finally(settle)
          .catch((e: unknown) => {
            if (mine !== seq) return;
            // Keep the last columns known (of their own text): a recipe mid-edit often does
            // not read, and the form still offers what it had.
            const last = get().columns?.name === of.name ? get().columns : null;
            set({
              columns: {
                name: of.name,
                yaml: last?.yaml ?? '',
                asked: yaml,
                result: last?.result ?? null,
                error: message(e),
              },
            });
          });
      }, 200);
    },

    async freshColumns() {
      const ed = get().editor;
      if (!ed) return null;
      const answered = (): boolean =>
        get().columns?.name === ed.name && get().columns?.asked === get().editor?.yaml;
      // At most a few answers, and never long: the text may change again while it is asked.
      for (let i = 0; i < 3 && !answered(); i++) {
        get().loadColumns();
        await new Promise<void>((r) => {
          const t = setTimeout(r, 5000);
          arrived.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
      const c = get().columns;
      return c?.name === ed.name && c.yaml === get().editor?.yaml ? c.result : null;
    },

    async checkExpression(p) {
      const of = recipeOf(get());
      if (!of) throw new Error('no recipe is open');
      return get().client.call('pipelines.checkExpression', { ...of, ...p });
    },

    async sideColumns(ref) {
      if ('pipeline' in ref) {
        // Another pipeline's output: the columns after its last step, from its recipe.
        const r = await get().client.call('pipelines.columns', { name: ref.pipeline });
        return r.steps.length ? r.steps[r.steps.length - 1].output : r.source;
      }
      const r = await get().client.call('profiles.get', { path: ref.csv });
      return r.columns.map((c) => ({ name: c.name, type: c.type }));
    },

    async joinCounts(step) {
      const of = recipeOf(get());
      if (!of) throw new Error('no recipe is open');
      return get().client.call('pipelines.joinCounts', { ...of, step });
    },
  };
};
