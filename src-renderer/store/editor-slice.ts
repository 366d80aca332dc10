import { parseRecipe } from '../features/editor/recipe-doc';
import type { EditorSlice, Slice, State } from './types';
import { message } from './common';

const HISTORY = 200;
/** Unsaved text is kept per project and pipeline, so a closed window loses nothing. */
const draftKey = (s: State, name: string): string => `sluice.draft:${s.project?.dir ?? ''}:${name}`;

/** How long typing pauses before the service checks the recipe against the data. */
const CHECK_AFTER_MS = 250;

export const editorSlice: Slice<EditorSlice> = (set, get) => {
  let lastTyping = 0;
  let checkTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Once typing pauses, asks the service for the problems only it can see (an unknown column,
   * a bad expression); they join the local syntax and schema ones if the text is unchanged.
   * The preview waits for the check (editor.checking), so a recipe known not to fit its data is
   * not previewed: its preview would only fail.
   */
  const checkThenPreview = (): void => {
    if (checkTimer) clearTimeout(checkTimer);
    const ed = get().editor;
    if (!ed) return;
    // Semantic checks need a recipe that parses and fits the schema; the preview says it has
    // problems.
    if (ed.issues.length) {
      if (ed.checking) set({ editor: { ...ed, checking: false } });
      return get().requestPreview();
    }
    if (!ed.checking) set({ editor: { ...ed, checking: true } });
    checkTimer = setTimeout(() => {
      checkTimer = null;
      const { name, yaml } = get().editor ?? {};
      if (!name || yaml === undefined) return;
      const current = (): boolean => get().editor?.name === name && get().editor?.yaml === yaml;
      get()
        .client.call('pipelines.check', { name, yaml })
        .then((r) => {
          const now = get().editor;
          if (!now || !current()) return;
          const semantic = r.problems.filter((p) => p.kind === 'semantic');
          set({
            editor: {
              ...now,
              issues: [...now.issues, ...semantic],
              checking: false,
              unchecked: r.not_checked,
            },
          });
        })
        // A check that fails (the service busy or gone) leaves the local problems as they are.
        .catch(() => {
          if (current()) set({ editor: { ...get().editor!, checking: false } });
        })
        .finally(() => current() && get().requestPreview());
    }, CHECK_AFTER_MS);
  };

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
    checkThenPreview();
  };

  return {
    editor: null,
    versions: null,

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
        checkThenPreview();
        void get().loadVersions();
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
      // An edit from a form or the list ends a burst of typing: what is typed next is its own step.
      lastTyping = 0;
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
      if (!ed.checking) get().requestPreview();
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

    goTo(point) {
      const ed = get().editor;
      if (!ed) return;
      // The history is past, then the present, then future: one list, the present at past.length.
      const points = [...ed.past, ed.yaml, ...ed.future];
      if (point < 0 || point >= points.length || point === ed.past.length) return;
      set({
        editor: { ...ed, past: points.slice(0, point), future: points.slice(point + 1) },
      });
      change(points[point], false);
    },

    async loadVersions() {
      const name = get().editor?.name;
      if (!name) return;
      try {
        const r = await get().client.call('pipelines.versions', { name });
        if (get().editor?.name === name) set({ versions: { name, items: r.items, error: null } });
      } catch (e) {
        set({ versions: { name, items: [], error: message(e) } });
      }
    },

    async versionText(hash) {
      const name = get().editor?.name ?? '';
      return (await get().client.call('pipelines.version', { name, hash })).text;
    },

    async save() {
      const ed = get().editor;
      if (!ed || ed.saving) return;
      // An unknown column is worth a warning, not a refusal: the data may change before a run,
      // and the service saves what parses and fits the schema.
      if (ed.issues.some((i) => i.kind !== 'semantic')) {
        set({ editor: { ...ed, error: 'fix the problems marked in the recipe before saving' } });
        return;
      }
      set({ editor: { ...ed, saving: true, error: null } });
      try {
        await get().client.call('pipelines.save', { name: ed.name, yaml: ed.yaml });
        localStorage.removeItem(draftKey(get(), ed.name));
        set({ editor: { ...get().editor!, saved: ed.yaml, saving: false } });
        void get().loadProject();
        void get().loadVersions();
      } catch (e) {
        set({ editor: { ...get().editor!, saving: false, error: message(e) } });
      }
    },
  };
};
