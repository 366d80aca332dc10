/** The window's title: what is being edited, in which project, and whether it is saved. */
import type { State } from '../../store/types';

/** Marks a recipe with edits not yet saved, as editors do (Electron's title shows it too). */
export const UNSAVED = '●';

/** The recipe open in the editor has text not yet saved to its file. */
export function hasUnsavedEdits(s: Pick<State, 'editor'>): boolean {
  return s.editor !== null && s.editor.yaml !== s.editor.saved;
}

/**
 * The title for the window's state, most specific first.
 * @example windowTitle(s) // "● sales_clean — Retail demo — Sluice"
 */
export function windowTitle(s: Pick<State, 'project' | 'editor'>): string {
  const title = [s.editor?.name, s.project?.name, 'Sluice'].filter(Boolean).join(' — ');
  return hasUnsavedEdits(s) ? `${UNSAVED} ${title}` : title;
}
