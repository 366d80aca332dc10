/** Shared fixtures for the component tests (src-renderer/**\/*.test.tsx); never imported by the app. */
import type { ColumnProfile } from '../../src-shared/api/contract';
import { parseRecipe } from '../features/editor/recipe-doc';
import { useStore } from '../store';

/** A column profile as profiles.get types it: empty unless `c` says otherwise. */
export function columnProfile<
  C extends Partial<ColumnProfile> & Pick<ColumnProfile, 'name' | 'type'>,
>(c: C): ColumnProfile & C {
  return {
    confidence: 1,
    formats: null,
    note: null,
    misfits: [],
    null_count: 0,
    distinct_count: 0,
    distinct_capped: false,
    min: null,
    max: null,
    top_values: [],
    length_min: null,
    length_max: null,
    histogram: [],
    ...c,
  } as ColumnProfile & C;
}

/** Opens `yaml` in the editor as if just loaded from pipelines/<name>.yaml, with nothing to undo. */
export function openRecipe(yaml: string, selected: number | null, name = 'stores'): void {
  const parsed = parseRecipe(yaml);
  useStore.setState({
    editor: {
      name,
      file: `pipelines/${name}.yaml`,
      saved: yaml,
      yaml,
      past: [],
      future: [],
      steps: parsed.steps,
      issues: parsed.issues,
      selected,
      saving: false,
      error: null,
    },
  });
}
