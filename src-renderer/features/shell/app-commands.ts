/**
 * What a command from the desktop shell (menus, dock, command line) does in the window: the same
 * store actions the buttons and keyboard shortcuts call, so a menu item and its key never differ.
 */
import type { AppCommand } from '../../../src-shared/desktop';
import type { State } from '../../store/types';

/** Where the focus is typing, and that field's own undo. Apart so tests need no DOM. */
export interface TextFocus {
  /** A text field (input, textarea, contenteditable) has the focus. */
  active(): boolean;
  /** The focused field's own undo or redo, as its Ctrl+Z would do it. */
  native(what: 'undo' | 'redo'): void;
}

/** Text inputs only: a checkbox or a button with the focus leaves undo to the recipe. */
const TYPED = /^(text|search|url|tel|email|password|number)$/;

export const DOM_TEXT_FOCUS: TextFocus = {
  active() {
    const el = document.activeElement;
    if (el instanceof HTMLTextAreaElement) return !el.readOnly;
    if (el instanceof HTMLInputElement) return TYPED.test(el.type) && !el.readOnly;
    // The recipe's code editor has no undo of its own: its history is the recipe's.
    if (el instanceof HTMLElement && el.closest('[data-testid=recipe-editor]')) return false;
    return el instanceof HTMLElement && el.isContentEditable;
  },
  native(what) {
    // Deprecated, but still the only way to drive a field's own undo stack from outside it.
    document.execCommand(what);
  },
};

/** The pipeline the window has selected: the one open in the editor. */
export const selectedPipeline = (s: State): string | null => s.editor?.name ?? null;

/** The run the window follows: the one started or seen starting, else a running one on show. */
export function followedRun(s: State): string | null {
  const shown = s.runs.selected?.run;
  return s.runs.activeRunId ?? (shown?.status === 'running' ? shown.id : null);
}

/** Does what the command asks, with the store's actions; `text` decides whose undo it is. */
export function runCommand(c: AppCommand, s: State, text: TextFocus = DOM_TEXT_FOCUS): void {
  switch (c.command) {
    case 'view':
      return s.setView(c.view);
    case 'undo':
    case 'redo':
      // Edit > Undo while typing in a field means that field's text, as in any other app; the
      // recipe's history is for edits made through the step list and forms.
      return text.active() ? text.native(c.command) : s[c.command]();
    case 'run-all':
      void s.startRun();
      return s.setView('runs');
    case 'run-selected': {
      const name = selectedPipeline(s);
      // Nothing selected: the pipelines list, where each has its own Run button.
      if (!name) return s.setView('pipelines');
      void s.startRun({ pipelines: [name], only: true });
      return s.setView('runs');
    }
    case 'cancel-run': {
      const id = followedRun(s);
      if (id) void s.cancelRun(id);
      return;
    }
    case 'import':
      return void s.importPaths([c.path]);
    case 'new-project':
      return void s.showProjects(true, { create: true });
    case 'appearance':
      return s.setAppearance(c.appearance);
    case 'connections':
      return s.openConnections();
    default:
      return c satisfies never;
  }
}
