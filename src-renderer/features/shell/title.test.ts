/** The window title: pipeline, project, app, and a mark while the recipe has unsaved edits. */
import { describe, expect, it } from 'vitest';
import type { State } from '../../store/types';
import { hasUnsavedEdits, windowTitle } from './title';

const project = { name: 'Retail demo' } as State['project'];
const editor = (yaml: string, saved: string): State['editor'] =>
  ({ name: 'sales_clean', yaml, saved }) as State['editor'];

describe('window title', () => {
  it('names what is open, most specific first', () => {
    expect(windowTitle({ project: null, editor: null })).toBe('Sluice');
    expect(windowTitle({ project, editor: null })).toBe('Retail demo — Sluice');
    expect(windowTitle({ project, editor: editor('a', 'a') })).toBe(
      'sales_clean — Retail demo — Sluice',
    );
  });

  it('marks a recipe whose text differs from the saved one, and not once it is back', () => {
    expect(windowTitle({ project, editor: editor('a: 2', 'a: 1') })).toBe(
      '● sales_clean — Retail demo — Sluice',
    );
    expect(windowTitle({ project, editor: editor('a: 1', 'a: 1') })).not.toContain('●');
  });

  it('the marker and the unload guard answer the same question', () => {
    expect(hasUnsavedEdits({ editor: null })).toBe(false);
    expect(hasUnsavedEdits({ editor: editor('a: 1', 'a: 1') })).toBe(false);
    expect(hasUnsavedEdits({ editor: editor('a: 2', 'a: 1') })).toBe(true);
  });
});
