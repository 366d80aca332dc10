/**
 * The application menu installed: menu.ts's template wired to the shell's actions, rebuilt
 * when what it shows changes (a project opened, the appearance chosen).
 */
import { join } from 'node:path';
import { app, dialog, Menu, nativeTheme, shell, type BrowserWindow } from 'electron';
import type { Appearance, AppCommand } from '../../src-shared/desktop';
import { VERSION } from '../../src-shared/version';
import { saveSettings } from '../service/desktop-settings';
import type { Dispatch } from '../transports/dispatcher';
import type { ShellActions } from './actions';
import { tell } from './dialogs';
import { aboutText, menuTemplate } from './menu';

export interface AppMenuDeps {
  dispatch: Dispatch;
  actions: ShellActions;
  command(c: AppCommand): void;
  window(): BrowserWindow | null;
  appearance: Appearance;
  /** out/main: in development the docs are the repository's, two folders up. */
  mainDir: string;
}

/** Sets the menu now; the returned function sets it again with the current recent projects. */
export async function installMenu(d: AppMenuDeps): Promise<() => Promise<void>> {
  let appearance = d.appearance;
  const build = async (): Promise<void> => {
    const r = await d.dispatch('projects.recent', {});
    const recent = r.ok ? (r.value as { items: { dir: string; name: string | null }[] }).items : [];
    const template = menuTemplate(
      { recent, appearance, mac: process.platform === 'darwin', appName: 'Sluice' },
      {
        newProject: () => void d.actions.newProject(),
        openProject: () => void d.actions.openProject(),
        openRecent: (dir) => void d.actions.openDir(dir),
        importCsv: () => void d.actions.importCsv(),
        exportReport: () => void d.actions.exportReport(),
        command: d.command,
        setAppearance: (a) => {
          appearance = a;
          nativeTheme.themeSource = a;
          saveSettings({ appearance: a });
          d.command({ type: 'app.command', command: 'appearance', appearance: a });
          void build();
        },
        openDocs: () => {
          const docs = app.isPackaged
            ? join(process.resourcesPath, 'docs')
            : join(d.mainDir, '../../docs');
          void shell.openPath(docs).then((err) => {
            if (err) void tell(d.window(), 'Sluice could not open its documentation', err);
          });
        },
        about: () =>
          void dialog.showMessageBox({
            type: 'info',
            title: 'About Sluice',
            message: 'Sluice',
            detail: aboutText(VERSION, process.versions),
          }),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  await build();
  return build;
}
