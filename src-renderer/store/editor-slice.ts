import { parseRecipe } from '../features/editor/recipe-doc';
import type { EditorSlice, Slice, State } from './types';
import { message } from './common';

const HISTORY = 200;
/** Unsaved text is kept per project and pipeline, so a closed window loses nothing. */
const draftKey = (s: State, name: string): string => `sluice.draft:${s.project?.dir ?? ''}:${name}`;

export const editorSlice: Slice<EditorSlice> = (set, get) => {
  let lastTyping = 0;

  const change = (yaml: string, push: boolean): void => {
    const ed = get().editor;
    if (!ed || yaml === ed.yaml) return;
    const parsed = parseRecipe(yaml);
    const selected =
      ed.selected !== null && ed.selected >= parsed.steps.length
        ? parsed.steps.length
          ? parsed.steps.length - 1
          : null
        : ed.selected;
    set({
      editor: {
        ...ed,
        yaml,
        steps: parsed.issues.some((i) => i.path.length === 0) ? ed.steps : parsed.steps,
        issues: parsed.issues,
        past: push ? [...ed.past, ed.yaml].slice(-HISTORY) : ed.past,
        future: push ? [] : ed.future,
        selected,
        error: null,
      },
    });
    if (yaml === ed.saved) localStorage.removeItem(draftKey(get(), ed.name));
    else localStorage.setItem(draftKey(get(), ed.name), yaml);
    get().requestPreview();
  };

  return {
    editor: null,

    async openPipeline(name) {
      set({ view: 'editor' });
      if (get().editor?.name === name) return;
      try {
        const p = await get().client.call('pipelines.get', { name });
        const draft = localStorage.getItem(draftKey(get(), name));
        const yaml = draft ?? p.yaml;
        const parsed = parseRecipe(yaml);
        set({
          editor: {
            name,
            file: p.file,
            saved: p.yaml,
            yaml,
            past: draft && draft !== p.yaml ? [p.yaml] : [],
            future: [],
            steps: parsed.steps,
            issues: parsed.issues,
            selected: parsed.steps.length ? 0 : null,
            saving: false,
            error: null,
          },
          preview: { ...get().preview, result: null, of: null, error: null, facets: [] },
          profile: null,
        });
        get().requestPreview();
      } catch (e) {
        set({ projectError: message(e) });
      }
    },

    setYaml(text, opts) {
      const now = Date.now();
      // Keystrokes less than a second apart are one step of undo.
      const push = !opts?.typing || now - lastTyping > 1000;
      lastTyping = opts?.typing ? now : 0;
      change(text, push);
    },

    edit(fn) {
      const ed = get().editor;
      if (!ed) return;
      try {
        change(fn(ed.yaml), true);
      } catch (e) {
        set({ editor: { ...ed, error: message(e) } });
      }
    },

    selectStep(i) {
      const ed = get().editor;
      if (!ed) return;
      set({ editor: { ...ed, selected: i } });
      get().requestPreview();
    },

    undo() {
      const ed = get().editor;
      if (!ed?.past.length) return;
      const prev = ed.past[ed.past.length - 1];
      set({ editor: { ...ed, past: ed.past.slice(0, -1), future: [ed.yaml, ...ed.future] } });
      change(prev, false);
    },

    redo() {
      const ed = get().editor;
      if (!ed?.future.length) return;
      const [next, ...rest] = ed.future;
      set({ editor: { ...ed, past: [...ed.past, ed.yaml], future: rest } });
      change(next, false);
    },

    async save() {
      const ed = get().editor;
      if (!ed || ed.saving) return;
      if (ed.issues.length) {
        set({ editor: { ...ed, error: 'fix the problems marked in the recipe before saving' } });
        return;
      }
      set({ editor: { ...ed, saving: true, error: null } });
      try {
        await get().client.call('pipelines.save', { name: ed.name, yaml: ed.yaml });
        localStorage.removeItem(draftKey(get(), ed.name));
        set({ editor: { ...get().editor!, saved: ed.yaml, saving: false } });
        void get().loadProject();
      } catch (e) {
        set({ editor: { ...get().editor!, saving: false, error: message(e) } });
      }
    },
  };
};
