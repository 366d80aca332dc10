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
import { inBackground } from './dialogs';
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
  // A click's failure is told, not lost (dialogs.ts).
  const go = (what: string, f: () => Promise<unknown>) => () => inBackground(what, d.window, f);
  const build = async (): Promise<void> => {
    const r = await d.dispatch('projects.recent', {});
    const recent = r.ok ? (r.value as { items: { dir: string; name: string | null }[] }).items : [];
    const template = menuTemplate(
      { recent, appearance, mac: process.platform === 'darwin', appName: 'Sluice' },
      {
        newProject: go('create the project', () => d.actions.newProject()),
        openProject: go('open the project', () => d.actions.openProject()),
        openRecent: (dir) => inBackground(`open ${dir}`, d.window, () => d.actions.openDir(dir)),
        importCsv: go('import the file', () => d.actions.importCsv()),
        exportReport: go('export the report', () => d.actions.exportReport()),
        command: d.command,
        setAppearance: (a) => {
          appearance = a;
          nativeTheme.themeSource = a;
          d.command({ type: 'app.command', command: 'appearance', appearance: a });
          // Applied even when it cannot be remembered (an unwritable data folder): told.
          inBackground('remember the appearance', d.window, async () =>
            saveSettings({ appearance: a }),
          );
          inBackground('rebuild the menu', d.window, build);
        },
        openDocs: go('open its documentation', async () => {
          const docs = app.isPackaged
            ? join(process.resourcesPath, 'docs')
            : join(d.mainDir, '../../docs');
          const err = await shell.openPath(docs);
          if (err) throw new Error(`${docs}: ${err}`);
        }),
        about: go('show the About box', () =>
          dialog.showMessageBox({
            type: 'info',
            title: 'About Sluice',
            message: 'Sluice',
            detail: aboutText(VERSION, process.versions),
          }),
        ),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  await build();
  return build;
}
