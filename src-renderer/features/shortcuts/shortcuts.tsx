/** The window's keyboard shortcuts: one list, which both handles the keys and shows them. */
import { useEffect } from 'react';
import type { AppCommand } from '../../../src-shared/desktop';
import { Dialog } from '../../components/Dialog';
import { useStore } from '../../store';
import { runCommand } from '../shell/app-commands';
import type { State, View } from '../../store/types';

export const VIEWS: [View, string][] = [
  ['pipelines', 'Pipelines'],
  ['editor', 'Editor'],
  ['graph', 'Graph'],
  ['runs', 'Runs'],
  ['outputs', 'Outputs'],
];

interface Shortcut {
  keys: string;
  what: string;
  matches(e: KeyboardEvent, inText: boolean): boolean;
  run(s: State, pickFiles: () => void): void;
}

/** Keys with a desktop menu item do what that item's command does. */
const as =
  (c: AppCommand) =>
  (s: State): void =>
    runCommand(c, s);

const mod = (e: KeyboardEvent): boolean => e.ctrlKey || e.metaKey;
const key = (e: KeyboardEvent, k: string): boolean => e.key.toLowerCase() === k;

export const SHORTCUTS: Shortcut[] = [
  {
    keys: 'Ctrl+S',
    what: 'save the recipe',
    matches: (e) => mod(e) && key(e, 's'),
    run: (s) => void s.save(),
  },
  {
    keys: 'Ctrl+Z',
    what: 'undo an edit of the recipe (outside text fields)',
    matches: (e, inText) => mod(e) && !e.shiftKey && key(e, 'z') && !inText,
    run: as({ type: 'app.command', command: 'undo' }),
  },
  {
    keys: 'Ctrl+Shift+Z, Ctrl+Y',
    what: 'redo',
    matches: (e, inText) => mod(e) && ((e.shiftKey && key(e, 'z')) || key(e, 'y')) && !inText,
    run: as({ type: 'app.command', command: 'redo' }),
  },
  {
    keys: 'Ctrl+Enter',
    what: 'run all pipelines',
    matches: (e) => mod(e) && e.key === 'Enter',
    run: as({ type: 'app.command', command: 'run-all' }),
  },
  {
    keys: 'Ctrl+O',
    what: 'import CSV files',
    matches: (e) => mod(e) && !e.shiftKey && key(e, 'o'),
    run: (_s, pickFiles) => pickFiles(),
  },
  {
    keys: 'Ctrl+Shift+O',
    what: 'open another project',
    matches: (e) => mod(e) && e.shiftKey && key(e, 'o'),
    run: (s) => void s.showProjects(true),
  },
  ...VIEWS.map(([view, label], i): Shortcut => ({
    keys: `Alt+${i + 1}`,
    what: `show ${label}`,
    matches: (e) => e.altKey && e.key === String(i + 1),
    run: as({ type: 'app.command', command: 'view', view }),
  })),
  {
    keys: '?',
    what: 'show these shortcuts',
    matches: (e, inText) => e.key === '?' && !inText && !mod(e),
    run: (s) => s.showShortcuts(true),
  },
  {
    keys: 'Escape',
    what: 'close a dialog',
    matches: (e) => e.key === 'Escape',
    run: (s) => {
      s.showShortcuts(false);
      if (s.projects.open) void s.showProjects(false);
    },
  },
];

export function useShortcuts(pickFiles: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target;
      const inText =
        t instanceof HTMLInputElement ||
        t instanceof HTMLTextAreaElement ||
        t instanceof HTMLSelectElement;
      const hit = SHORTCUTS.find((s) => s.matches(e, inText));
      if (!hit) return;
      e.preventDefault();
      hit.run(useStore.getState(), pickFiles);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pickFiles]);
}

/** Keys that act where the focus is, listed beside the window's own (their parts handle them). */
export const LOCAL_KEYS: [where: string, keys: string, what: string][] = [
  ['View tabs', 'Left, Right, Home, End', 'show the next view'],
  ['Step list', 'Up, Down, Home, End', 'select a step'],
  ['Step list', 'Alt+Up, Alt+Down', 'move the step'],
  ['Step list', 'Delete', 'remove the step (Ctrl+Z brings it back)'],
  ['Step list', 'Enter', "open the step's form"],
  ['Step list', 'Right, Left', "go along the step's buttons"],
  ['Menus', 'Up, Down, a letter, Enter', 'choose an item'],
  ['Dialogs, menus', 'Escape', 'close, the focus back where it was'],
];

export function ShortcutsDialog(): React.JSX.Element | null {
  const open = useStore((s) => s.shortcutsOpen);
  const show = useStore((s) => s.showShortcuts);
  if (!open) return null;
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => show(false)} small>
      <table className="list" data-testid="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Where the focus is</h3>
      <table className="list" data-testid="local-keys">
        <tbody>
          {LOCAL_KEYS.map(([where, keys, what]) => (
            <tr key={where + keys}>
              <td>{where}</td>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="dir">On a Mac, ⌘ works wherever Ctrl is shown.</p>
    </Dialog>
  );
}
