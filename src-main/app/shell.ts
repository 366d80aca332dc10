/**
 * The running desktop app: one project's service served over IPC to one window, the menu,
 * taskbar progress, recent documents, and an orderly shutdown. Started by main.ts once
 * Electron is ready. A project that cannot open is told and My first project opens instead
 * (first-project.ts); only a failure beyond that reaches main.ts's error box.
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, nativeTheme, safeStorage, screen, session } from 'electron';
import type { ApiEvent, ApiResult } from '../../src-shared/api/contract';
import { PICK_FOLDER_CHANNEL, SAVE_FILE_CHANNEL, SHOW_FILE_CHANNEL } from '../../src-shared/bridge';
import type { Appearance, AppCommand } from '../../src-shared/desktop';
import { SluiceService, setWorkerScript } from '../service/api-service';
import { debugLog } from '../service/debug-log';
import { lastProject, rememberProject } from '../service/recent';
import { createDispatcher } from '../transports/dispatcher';
import { registerIpc } from '../transports/ipc';
import { shellActions } from './actions';
import type { OpenTarget } from './args';
import { runSchedules, type Warn } from './background';
import { inBackground, pickFolder, tell } from './dialogs';
import { fileActions, printWithElectron } from './files';
import { FIRST_PROJECT, openStartProject } from './first-project';
import { installMenu } from './app-menu';
import { RunProgress } from './progress';
import { readSettings, saveSettings } from '../service/desktop-settings';
import { desktopKeychain } from './keychain';
import { denyPermissions, handleTrusted, type RendererLocation } from './security';
import { confirmUnload } from './unload';
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
  /** Opens or imports in the background; what fails is told to the user. */
  open(targets: OpenTarget[]): void;
  reveal(): void;
}

export async function startShell(o: ShellOptions): Promise<Shell> {
  denyPermissions(session.defaultSession);
  setWorkerScript(join(o.mainDir, 'worker.js'));
  const appearance: Appearance = readSettings().appearance;
  nativeTheme.themeSource = appearance;

  const first = o.targets.find((t) => t.kind === 'project');
  const credentials = desktopKeychain(safeStorage);
  const password = (name: string): string | undefined => credentials.get(name);
  // The desktop user picks and drops files from anywhere on their computer. Saved connections'
  // passwords go to the OS keychain; the window may save and test connections.
  const start = await openStartProject(
    first?.dir ?? lastProject(),
    app.getPath('documents'),
    (dir) =>
      SluiceService.open(dir, {
        password,
        keychain: credentials,
        manageConnections: true,
        face: 'desktop',
        localFiles: true,
        printPdf: printWithElectron,
      }),
  );
  const service = start.opened;
  // From now on a quit closes the service, even one that comes while the rest starts.
  let stopSchedules = async (): Promise<void> => undefined;
  quitAfter(async () => {
    await stopSchedules();
    await service.close();
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
    confirmUnload(m.win);
    // The appearance as last chosen (the menu may have changed it since the start).
    m.send({ type: 'app.command', command: 'appearance', appearance: readSettings().appearance });
    return m;
  };
  const command = (c: AppCommand): void => (main ??= openMain()).send(c);
  const win = (): BrowserWindow | null => main?.win ?? null;
  const actions = shellActions({ dispatch, window: win, command });
  const warn: Warn = (message, detail) =>
    void tell(win(), message, detail).catch((e: unknown) =>
      debugLog(`desktop app: telling "${message}"`, e),
    );

  registerIpc(ipcMain, { dispatch, isTrustedUrl: o.isTrusted });
  handleTrusted(ipcMain, PICK_FOLDER_CHANNEL, o.isTrusted, null, (e) =>
    pickFolder(BrowserWindow.fromWebContents(e.sender), 'Open a project folder'),
  );
  // The window's report and output buttons: a save dialog, then the OS's program; Show in folder.
  const files = fileActions({ dispatch, window: win });
  const refused: ApiResult<never> = {
    ok: false,
    error: { code: 'forbidden', message: 'not from Sluice’s window' },
  };
  handleTrusted<ApiResult<string | null>>(
    ipcMain,
    SAVE_FILE_CHANNEL,
    o.isTrusted,
    refused,
    (_e, request, open) => files.save(request, open === true),
  );
  handleTrusted<ApiResult<null>>(ipcMain, SHOW_FILE_CHANNEL, o.isTrusted, refused, (_e, output) =>
    files.show(output),
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
      if (rebuildMenu) inBackground('rebuild the menu', win, rebuildMenu);
    }
  });

  main = openMain();
  if (start.problem)
    warn(
      `Sluice could not open ${start.problem.dir}`,
      `${start.problem.reason}\n\n${FIRST_PROJECT} is open instead.`,
    );
  rebuildMenu = await installMenu({
    dispatch,
    actions,
    command,
    window: win,
    appearance,
    mainDir: o.mainDir,
  });
  stopSchedules = await runSchedules(service, password, warn);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) main = openMain();
  });

  const running: Shell = {
    open: (targets) => inBackground('open what was handed over', win, () => actions.open(targets)),
    reveal: () => (main ??= openMain()).reveal(),
  };
  running.open(o.targets.filter((t) => t !== first));
  return running;
}

/**
 * Holds the quit until `close` is done: runs cancelled, the store closed. In will-quit, after
 * every window has closed (and said Leave or Stay to unsaved edits, which may cancel the quit):
 * a quit that was cancelled leaves the service as it was.
 */
function quitAfter(close: () => Promise<void>): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (e) => {
    if (state === 'closed') return;
    e.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void close()
      .catch((err: unknown) => debugLog('desktop app: closing the service', err))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}
