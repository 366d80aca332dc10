/**
 * The application menu as a template, built from the shell's state (recent projects, the
 * appearance chosen) and the actions it calls. Pure: no Electron at runtime, so it is tested
 * as data; main.ts hands the result to Menu.buildFromTemplate.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { APPEARANCES, VIEWS, type Appearance, type AppCommand } from '../../src-shared/desktop';

export interface MenuState {
  recent: { dir: string; name: string | null }[];
  appearance: Appearance;
  /** macOS puts About and Quit under an application menu of its own. */
  mac: boolean;
  appName: string;
}

export interface MenuActions {
  newProject(): void;
  openProject(): void;
  openRecent(dir: string): void;
  importCsv(): void;
  exportReport(): void;
  /** Tells the focused window to do something (src-shared/desktop.ts). */
  command(c: AppCommand): void;
  setAppearance(a: Appearance): void;
  openDocs(): void;
  about(): void;
}

const VIEW_LABELS: Record<(typeof VIEWS)[number], string> = {
  pipelines: 'Pipelines',
  editor: 'Recipe Editor',
  graph: 'Graph',
  runs: 'Runs',
  outputs: 'Outputs and Reports',
};

const APPEARANCE_LABELS: Record<Appearance, string> = {
  system: 'System',
  light: 'Light',
  dark: 'Dark',
};

const cmd = <C extends AppCommand['command']>(command: C) =>
  ({ type: 'app.command', command }) as Extract<AppCommand, { command: C }>;

/**
 * The menu's keys are the window's own (src-renderer's shortcuts: Ctrl+O imports, Ctrl+Shift+O
 * opens a project, Alt+1–4 switch views, Ctrl+Enter runs all), so the desktop app and a
 * browser tab answer the same keys; a key the menu registers never reaches the page.
 */
export function menuTemplate(s: MenuState, a: MenuActions): MenuItemConstructorOptions[] {
  const recent: MenuItemConstructorOptions[] = s.recent.length
    ? s.recent.map((r) => ({
        label: r.name ? `${r.name} — ${r.dir}` : r.dir,
        click: () => a.openRecent(r.dir),
      }))
    : [{ label: 'No recent projects', enabled: false }];
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+Shift+N', click: () => a.newProject() },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+Shift+O', click: () => a.openProject() },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      { label: 'Import CSV…', accelerator: 'CmdOrCtrl+O', click: () => a.importCsv() },
      { label: 'Export Report…', accelerator: 'CmdOrCtrl+E', click: () => a.exportReport() },
      { type: 'separator' },
      { label: 'Close Window', role: 'close' },
      ...(s.mac ? [] : [{ label: 'Quit', role: 'quit' } as const]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      // The window's own shortcuts do these (so a text field keeps its own undo); the menu
      // shows the keys without taking them.
      {
        label: 'Undo',
        accelerator: 'CmdOrCtrl+Z',
        registerAccelerator: false,
        click: () => a.command(cmd('undo')),
      },
      {
        label: 'Redo',
        accelerator: s.mac ? 'Shift+Cmd+Z' : 'Ctrl+Y',
        registerAccelerator: false,
        click: () => a.command(cmd('redo')),
      },
      { type: 'separator' },
      { label: 'Cut', role: 'cut' },
      { label: 'Copy', role: 'copy' },
      { label: 'Paste', role: 'paste' },
      { label: 'Select All', role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...VIEWS.map((v, i): MenuItemConstructorOptions => ({
        label: VIEW_LABELS[v],
        accelerator: `Alt+${i + 1}`,
        click: () => a.command({ type: 'app.command', command: 'view', view: v }),
      })),
      { type: 'separator' },
      { label: 'Actual Size', role: 'resetZoom' },
      { label: 'Zoom In', role: 'zoomIn' },
      { label: 'Zoom Out', role: 'zoomOut' },
      { type: 'separator' },
      {
        label: 'Appearance',
        submenu: APPEARANCES.map((ap): MenuItemConstructorOptions => ({
          label: APPEARANCE_LABELS[ap],
          type: 'radio',
          checked: s.appearance === ap,
          click: () => a.setAppearance(ap),
        })),
      },
      { type: 'separator' },
      { label: 'Toggle Full Screen', role: 'togglefullscreen' },
    ],
  };
  const run: MenuItemConstructorOptions = {
    label: 'Run',
    submenu: [
      {
        label: 'Run All',
        accelerator: 'CmdOrCtrl+Enter',
        click: () => a.command(cmd('run-all')),
      },
      {
        label: 'Run Selected Pipeline',
        accelerator: 'CmdOrCtrl+Shift+Enter',
        click: () => a.command(cmd('run-selected')),
      },
      {
        label: 'Cancel Run',
        accelerator: 'CmdOrCtrl+.',
        click: () => a.command(cmd('cancel-run')),
      },
      { type: 'separator' },
      // Where runs load: PostgreSQL servers saved with their passwords in the keychain.
      { label: 'Database Connections…', click: () => a.command(cmd('connections')) },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: 'Help',
    role: 'help',
    submenu: [
      { label: 'Documentation', click: () => a.openDocs() },
      ...(s.mac ? [] : [{ label: `About ${s.appName}`, click: () => a.about() }]),
    ],
  };
  const appMenu: MenuItemConstructorOptions = {
    label: s.appName,
    submenu: [
      { label: `About ${s.appName}`, click: () => a.about() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { label: `Quit ${s.appName}`, role: 'quit' },
    ],
  };
  return [...(s.mac ? [appMenu] : []), file, edit, view, run, help];
}

/** The About box's text: the versions a bug report needs. */
export function aboutText(
  appVersion: string,
  v: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>,
): string {
  return [
    `Version ${appVersion}`,
    `Electron ${v.electron ?? '?'}`,
    `Chrome ${v.chrome ?? '?'}`,
    `Node ${v.node ?? '?'}`,
    `V8 ${v.v8 ?? '?'}`,
  ].join('\n');
}
