// Electron entry: a thin shell. All data work lives in the engine and service layers, which are
// tested in plain Node; this file opens the window, serves the API over IPC, keeps connection
// passwords in the OS keychain, runs the project's schedules while open and notifies.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Notification, safeStorage } from 'electron';
import { SluiceService, setWorkerScript } from '../service/api-service';
import { recentProjects } from '../service/recent';
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

async function openProject(): Promise<void> {
  const dir = recentProjects()[0];
  if (!dir) return; // the window shows how to open one
  const credentials = new CredentialStore(safeStorage);
  const password = (name: string): string | undefined => credentials.get(name);
  // The desktop user picks and drops files from anywhere on their computer.
  const service = await SluiceService.open(dir, { password, localFiles: true });
  registerIpc(ipcMain, { dispatch: createDispatcher(service.handlers), isTrustedUrl });
  forwardEvents(
    (l) => service.subscribe(l),
    (channel, e) => win?.webContents.send(channel, e),
  );
  const stop = await scheduleWhileOpen(service, {
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
