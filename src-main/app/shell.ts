/**
 * The running desktop app: one project's service served over IPC to one window, the menu,
 * taskbar progress, recent documents, and an orderly shutdown. Started by main.ts once
 * Electron is ready; a failure here (a project that cannot open) reaches main.ts's error box.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, nativeTheme, safeStorage, screen, session } from 'electron';
import type { ApiEvent } from '../../src-shared/api/contract';
import { PICK_FOLDER_CHANNEL } from '../../src-shared/bridge';
import type { Appearance, AppCommand } from '../../src-shared/desktop';
import { SluiceService, setWorkerScript } from '../service/api-service';
import { createProject } from '../service/new-project';
import { recentProjects, rememberProject } from '../service/recent';
import { CredentialStore } from '../store/credentials';
import { createDispatcher } from '../transports/dispatcher';
import { registerIpc } from '../transports/ipc';
import { shellActions } from './actions';
import type { OpenTarget } from './args';
import { runSchedules } from './background';
import { osKeychain } from './keychain';
import { pickFolder } from './dialogs';
import { installMenu } from './app-menu';
import { RunProgress } from './progress';
import { readSettings, saveSettings } from '../service/desktop-settings';
import { denyPermissions, handleTrusted, type RendererLocation } from './security';
import { openWindow, type MainWindow } from './window';
import { restoreWindow } from './window-state';

export interface ShellOptions {
  renderer: RendererLocation;
  isTrusted(url: string): boolean;
  /** out/main: the preload, the worker and (in development) the docs are found from here. */
  mainDir: string;
  /** What the launch was given: the first project opens at once, the rest after. */
  targets: OpenTarget[];
}

export interface Shell {
  open(targets: OpenTarget[]): Promise<void>;
  reveal(): void;
}

/** The last project opened or, on the first start, a new one in the user's documents. */
function defaultProject(): string {
  const recent = recentProjects()[0];
  if (recent) return recent;
  const dir = join(app.getPath('documents'), 'Sluice', 'My first project');
  if (!existsSync(join(dir, 'sluice.yaml'))) createProject(dir);
  return dir;
}

export async function startShell(o: ShellOptions): Promise<Shell> {
  denyPermissions(session.defaultSession);
  setWorkerScript(join(o.mainDir, 'worker.js'));
  const appearance: Appearance = readSettings().appearance;
  nativeTheme.themeSource = appearance;

  const first = o.targets.find((t) => t.kind === 'project');
  const credentials = new CredentialStore(osKeychain(safeStorage));
  const password = (name: string): string | undefined => credentials.get(name);
  // The desktop user picks and drops files from anywhere on their computer. Saved connections'
  // passwords go to the OS keychain; the window may save and test connections.
  const service = await SluiceService.open(first?.dir ?? defaultProject(), {
    password,
    keychain: credentials,
    manageConnections: true,
    face: 'desktop',
    localFiles: true,
  });
  rememberProject(service.projectDir);
  app.addRecentDocument(service.projectDir);
  const dispatch = createDispatcher(service.handlers);

  let main: MainWindow | null = null;
  const openMain = (): MainWindow => {
    const displays = screen.getAllDisplays().map((d) => d.workArea);
    const m = openWindow({
      preload: join(o.mainDir, '../preload/index.js'),
      renderer: o.renderer,
      state: restoreWindow(readSettings().window, displays),
      onSaveState: (window) => saveSettings({ window }),
    });
    m.win.on('closed', () => {
      if (main === m) main = null;
    });
    // The appearance as last chosen (the menu may have changed it since the start).
    m.send({ type: 'app.command', command: 'appearance', appearance: readSettings().appearance });
    return m;
  };
  const command = (c: AppCommand): void => (main ??= openMain()).send(c);
  const actions = shellActions({ dispatch, window: () => main?.win ?? null, command });

  registerIpc(ipcMain, { dispatch, isTrustedUrl: o.isTrusted });
  handleTrusted(ipcMain, PICK_FOLDER_CHANNEL, o.isTrusted, null, (e) =>
    pickFolder(BrowserWindow.fromWebContents(e.sender), 'Open a project folder'),
  );

  let rebuildMenu: (() => Promise<void>) | null = null;
  const progress = new RunProgress();
  const showProgress = (v: number | null): void => {
    if (v !== null && main && !main.win.isDestroyed()) main.win.setProgressBar(v);
  };
  service.subscribe((e: ApiEvent) => {
    main?.send(e);
    showProgress(progress.onEvent(e));
    // The store lists a run's tasks only as they start, so the project's pipelines stand for
    // the run's: exact for Run all; a run of some pipelines shows less until it ends.
    if (e.type === 'run.state' && e.status === 'running')
      showProgress(progress.setTotal(e.run_id, service.project.pipelines.length));
    if (e.type === 'project.opened') {
      // Ours first (Open Recent reads it), whoever opened the project: a menu, the window.
      rememberProject(e.dir);
      app.addRecentDocument(e.dir);
      void rebuildMenu?.();
    }
  });

  main = openMain();
  rebuildMenu = await installMenu({
    dispatch,
    actions,
    command,
    window: () => main?.win ?? null,
    appearance,
    mainDir: o.mainDir,
  });
  const stopSchedules = await runSchedules(service, password);

  let closed = false;
  app.on('before-quit', (e) => {
    if (closed) return;
    // Runs are cancelled and the store closed before the process goes.
    e.preventDefault();
    closed = true;
    void stopSchedules()
      .then(() => service.close())
      .finally(() => app.quit());
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) main = openMain();
  });

  const running: Shell = {
    open: (targets) => actions.open(targets),
    reveal: () => (main ??= openMain()).reveal(),
  };
  await running.open(o.targets.filter((t) => t !== first));
  return running;
}
