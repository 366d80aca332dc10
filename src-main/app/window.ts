/**
 * The main window: hardened webPreferences, its saved size and place, and an outbox that holds
 * messages until the page has loaded (a file given on the command line arrives before the
 * renderer listens).
 */
import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import { EVENT_CHANNEL } from '../../src-shared/bridge';
import type { RendererLocation } from './security';
import type { WindowState } from './window-state';

export interface WindowOptions {
  preload: string;
  renderer: RendererLocation;
  state: WindowState;
  /** Called as the window closes, with what to save. */
  onSaveState(state: WindowState): void;
}

export interface MainWindow {
  win: BrowserWindow;
  /** Sends on the event channel once the page has loaded (at once after that). */
  send(message: unknown): void;
  /** Brings the window to the front, restoring it if minimised. */
  reveal(): void;
}

export function openWindow(o: WindowOptions): MainWindow {
  const { x, y, width, height, maximized } = o.state;
  const win = new BrowserWindow({
    ...(x !== undefined && y !== undefined ? { x, y } : {}),
    width,
    height,
    minWidth: 640,
    minHeight: 400,
    title: 'Sluice',
    webPreferences: {
      preload: o.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    },
  });
  if (maximized) win.maximize();

  let loaded = false;
  const outbox: unknown[] = [];
  win.webContents.on('did-finish-load', () => {
    loaded = true;
    for (const m of outbox.splice(0)) win.webContents.send(EVENT_CHANNEL, m);
  });
  // A reload forgets what the page was told; later messages wait for it again.
  win.webContents.on('did-start-loading', () => (loaded = false));
  win.on('close', () => o.onSaveState({ ...win.getNormalBounds(), maximized: win.isMaximized() }));

  if (o.renderer.devUrl) void win.loadURL(o.renderer.devUrl);
  else void win.loadFile(join(o.renderer.dir, 'index.html'));

  return {
    win,
    send(message) {
      if (win.isDestroyed()) return;
      if (loaded) win.webContents.send(EVENT_CHANNEL, message);
      else outbox.push(message);
    },
    reveal() {
      if (win.isDestroyed()) return;
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    },
  };
}
