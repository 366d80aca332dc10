/** The desktop shell's commands, each mapped to the store action the window's own controls use. */
import { describe, expect, it, vi } from 'vitest';
import { AppCommand, appCommandOf } from '../../../src-shared/desktop';
import type { State } from '../../store/types';
import { runCommand, type TextFocus } from './app-commands';

const RUN = 'run_20261202T180000Z_ab12cd';

/** A store with every action recorded; `over` sets the state the command reads. */
function fakeState(over: Partial<State> = {}): State {
  return {
    editor: null,
    runs: { activeRunId: null, selected: null },
    setView: vi.fn(),
    undo: vi.fn(),
    redo: vi.fn(),
    startRun: vi.fn(async () => undefined),
    cancelRun: vi.fn(async () => undefined),
    importPaths: vi.fn(async () => undefined),
    showProjects: vi.fn(async () => undefined),
    setAppearance: vi.fn(),
    openConnections: vi.fn(),
    ...over,
  } as unknown as State;
}

function focus(active: boolean) {
  return { active: () => active, native: vi.fn<TextFocus['native']>() } satisfies TextFocus;
}

const cmd = (c: Record<string, unknown>): AppCommand =>
  AppCommand.parse({ type: 'app.command', ...c });
const editing = (name: string) => ({ editor: { name } }) as unknown as Partial<State>;

/** Every action the fake records, by name, with the arguments it got. */
function calls(s: State): Record<string, unknown[][]> {
  return Object.fromEntries(
    Object.entries(s)
      .filter(([, v]) => vi.isMockFunction(v) && v.mock.calls.length)
      .map(([k, v]) => [k, (v as ReturnType<typeof vi.fn>).mock.calls as unknown[][]]),
  );
}

describe('desktop commands in the window', () => {
  it('view shows that view and nothing else', () => {
    for (const view of ['pipelines', 'editor', 'graph', 'runs'] as const) {
      const s = fakeState();
      runCommand(cmd({ command: 'view', view }), s, focus(false));
      expect(calls(s)).toEqual({ setView: [[view]] });
    }
  });

  it("undo and redo step the recipe's history outside text fields, and the field's own inside", () => {
    const s = fakeState();
    const outside = focus(false);
    runCommand(cmd({ command: 'undo' }), s, outside);
    runCommand(cmd({ command: 'redo' }), s, outside);
    expect(calls(s)).toEqual({ undo: [[]], redo: [[]] });
    expect(outside.native).not.toHaveBeenCalled();

    const t = fakeState();
    const inside = focus(true);
    runCommand(cmd({ command: 'undo' }), t, inside);
    runCommand(cmd({ command: 'redo' }), t, inside);
    expect(calls(t)).toEqual({});
    expect(inside.native.mock.calls).toEqual([['undo'], ['redo']]);
  });

  it('run-all starts every pipeline and shows the runs', () => {
    const s = fakeState();
    runCommand(cmd({ command: 'run-all' }), s, focus(false));
    expect(calls(s)).toEqual({ startRun: [[]], setView: [['runs']] });
  });

  it('run-selected runs only the pipeline open in the editor, or shows the list to pick one', () => {
    const s = fakeState(editing('sales_clean'));
    runCommand(cmd({ command: 'run-selected' }), s, focus(false));
    expect(calls(s)).toEqual({
      startRun: [[{ pipelines: ['sales_clean'], only: true }]],
      setView: [['runs']],
    });
    const none = fakeState();
    runCommand(cmd({ command: 'run-selected' }), none, focus(false));
    expect(calls(none)).toEqual({ setView: [['pipelines']] });
  });

  it('cancel-run cancels the run the window follows, or a running one on show, else nothing', () => {
    const followed = fakeState({ runs: { activeRunId: RUN, selected: null } } as Partial<State>);
    runCommand(cmd({ command: 'cancel-run' }), followed, focus(false));
    expect(calls(followed)).toEqual({ cancelRun: [[RUN]] });

    const shown = (status: string): Partial<State> =>
      ({ runs: { activeRunId: null, selected: { run: { id: RUN, status } } } }) as never;
    const running = fakeState(shown('running'));
    runCommand(cmd({ command: 'cancel-run' }), running, focus(false));
    expect(calls(running)).toEqual({ cancelRun: [[RUN]] });

    const finished = fakeState(shown('succeeded'));
    runCommand(cmd({ command: 'cancel-run' }), finished, focus(false));
    expect(calls(finished)).toEqual({});
  });

  it('import starts the import of that path; new-project opens the picker to create one', () => {
    const s = fakeState();
    runCommand(cmd({ command: 'import', path: '/data/in/Sales.csv' }), s, focus(false));
    runCommand(cmd({ command: 'new-project' }), s, focus(false));
    expect(calls(s)).toEqual({
      importPaths: [[['/data/in/Sales.csv']]],
      showProjects: [[true, { create: true }]],
    });
  });

  it('appearance sets the window appearance; connections opens the Connections dialog', () => {
    const s = fakeState();
    runCommand(cmd({ command: 'appearance', appearance: 'dark' }), s, focus(false));
    expect(calls(s)).toEqual({ setAppearance: [['dark']] });
    const t = fakeState();
    runCommand(cmd({ command: 'connections' }), t, focus(true));
    expect(calls(t)).toEqual({ openConnections: [[]] });
  });

  it('only checked commands get this far: a malformed one is not a command', () => {
    expect(appCommandOf({ type: 'app.command', command: 'view', view: 'settings' })).toBeNull();
    expect(appCommandOf({ type: 'app.command', command: 'import', path: '' })).toBeNull();
    expect(appCommandOf({ type: 'app.command', command: 'undo', extra: 1 })).toBeNull();
  });
});
