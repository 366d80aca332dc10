// Electron entry: a thin shell. All data work lives in the engine and service layers, which are
// tested in plain Node; this file opens the window, serves the API over IPC, keeps connection
// passwords in the OS keychain, runs the project's schedules while open and notifies.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Notification, safeStorage } from 'electron';
import { PICK_FOLDER_CHANNEL } from '../../src-shared/bridge';
import { createProject } from '../service/new-project';
import { SluiceService, setWorkerScript } from '../service/api-service';
import { recentProjects, rememberProject } from '../service/recent';
import { scheduleWhileOpen } from '../service/schedules';
import { CredentialStore } from '../store/credentials';
import { createDispatcher } from '../transports/dispatcher';
import { forwardEvents, registerIpc } from '../transports/ipc';

const here = import.meta.dirname;
let win: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Sluice',
    webPreferences: {
      preload: join(here, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  if (process.env.ELECTRON_RENDERER_URL) void w.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void w.loadFile(join(here, '../renderer/index.html'));
  return w;
}

/** Our renderer only: the built files, or the dev server electron-vite started. */
function isTrustedUrl(url: string): boolean {
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (dev && url.startsWith(dev)) return true;
  return url.startsWith('file://') && url.includes('/renderer/');
}

/** The last project opened or, on the first start, a new one in the user's documents. */
function firstProject(): string {
  const recent = recentProjects()[0];
  if (recent) return recent;
  const dir = join(app.getPath('documents'), 'Sluice', 'My first project');
  if (!existsSync(join(dir, 'sluice.yaml'))) createProject(dir);
  return dir;
}

async function openProject(): Promise<void> {
  const dir = firstProject();
  rememberProject(dir);
  const credentials = new CredentialStore(safeStorage);
  const password = (name: string): string | undefined => credentials.get(name);
  // The desktop user picks and drops files from anywhere on their computer.
  // Saved connections' passwords go to the OS keychain; the window may save and test them.
  const service = await SluiceService.open(dir, {
    password,
    keychain: credentials,
    manageConnections: true,
    localFiles: true,
  });
  registerIpc(ipcMain, { dispatch: createDispatcher(service.handlers), isTrustedUrl });
  ipcMain.handle(PICK_FOLDER_CHANNEL, async (e) => {
    if (!isTrustedUrl(e.senderFrame?.url ?? '')) return null;
    const r = await dialog.showOpenDialog({
      title: 'Open a project folder',
      properties: ['openDirectory', 'createDirectory'],
    });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  forwardEvents(
    (l) => service.subscribe(l),
    (channel, e) => win?.webContents.send(channel, e),
  );
  const schedule = (): Promise<() => Promise<void>> =>
    scheduleWhileOpen(service, {
      password,
      onRun: (r) => {
        if (!Notification.isSupported()) return;
        const failed = r.pipelines.filter((p) => p.status !== 'succeeded').map((p) => p.name);
        new Notification({
          title: `Sluice: ${r.project} ${r.status}`,
          body: failed.length
            ? `not succeeded: ${failed.join(', ')}`
            : `${r.pipelines.length} pipelines`,
        }).show();
      },
    });
  let stop = await schedule();
  // Another project opened in the window: its schedules take over.
  service.subscribe((e) => {
    if (e.type !== 'project.opened') return;
    void stop().then(async () => (stop = await schedule()));
  });
  app.on('before-quit', () => {
    void stop().then(() => service.close());
  });
}

void app.whenReady().then(async () => {
  setWorkerScript(join(here, 'worker.js'));
  win = createWindow();
  await openProject();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
