/**
 * The window's one store: slices for the project, imports, the editor, previews, runs, looks,
 * saved connections and a run's outputs.
 */
import { create } from 'zustand';
import { appearanceSlice } from './appearance-slice';
import { connectionsSlice } from './connections-slice';
import { editorSlice } from './editor-slice';
import { formsSlice } from './forms-slice';
import { importSlice } from './import-slice';
import { outputsSlice } from './outputs-slice';
import { previewSlice } from './preview-slice';
import { projectSlice } from './project-slice';
import { runsSlice } from './runs-slice';
import { stepProfileSlice } from './step-profile-slice';
import type { State } from './types';

export const useStore = create<State>()((...a) => ({
  ...projectSlice(...a),
  ...importSlice(...a),
  ...editorSlice(...a),
  ...previewSlice(...a),
  ...stepProfileSlice(...a),
  ...runsSlice(...a),
  ...appearanceSlice(...a),
  ...connectionsSlice(...a),
  ...outputsSlice(...a),
  ...formsSlice(...a),
}));
