/**
 * The Electron security checklist, applied to every webContents: navigation only within our
 * renderer, no new windows (https links go to the OS browser instead), no permissions, and a
 * sender check on every IPC channel. The URL checks are pure and tested as such.
 */
import { pathToFileURL } from 'node:url';
import type { IpcMain, IpcMainInvokeEvent, Session, WebContents } from 'electron';

export interface RendererLocation {
  /** The built renderer's folder (out/renderer). */
  dir: string;
  /** electron-vite's dev server, in development only. */
  devUrl?: string;
}

/** Whether a frame at `url` is our renderer: a file under its folder, or the dev server's origin. */
export function isOurRenderer(url: string, where: RendererLocation): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (where.devUrl) {
    try {
      if (u.origin === new URL(where.devUrl).origin && u.origin !== 'null') return true;
    } catch {
      // A malformed dev URL trusts nothing.
    }
  }
  if (u.protocol !== 'file:') return false;
  const root = pathToFileURL(where.dir).href.replace(/\/?$/, '/');
  // URL normalises `..`, so a path that climbs out of the folder no longer starts with it.
  return u.href.startsWith(root);
}

/** The link to hand to the OS browser, or null: https only, never file:, javascript:, smb: and the like. */
export function externalLink(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export interface GuardDeps {
  isTrusted(url: string): boolean;
  openExternal(url: string): Promise<void> | void;
}

/** Applied by app.on('web-contents-created') to every webContents, windows and frames alike. */
export function guardContents(contents: WebContents, deps: GuardDeps): void {
  const away = (e: { preventDefault(): void }, url: string): void => {
    if (deps.isTrusted(url)) return;
    e.preventDefault();
    const link = externalLink(url);
    if (link) void deps.openExternal(link);
  };
  contents.on('will-navigate', (e, url) => away(e, url));
  contents.on('will-redirect', (e, url) => away(e, url));
  // No <webview>: the renderer never needs one, and one could load anything.
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLink(url);
    if (link) void deps.openExternal(link);
    return { action: 'deny' };
  });
}

/** Sluice asks for no permission (camera, notifications from the page, clipboard reads…): all refused. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * ipcMain.handle for a channel of ours, answering `refused` to any frame that is not our
 * renderer. Every channel but the API's (which transports/ipc.ts checks) goes through this.
 */
export function handleTrusted<T>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: string,
  isTrusted: (url: string) => boolean,
  refused: T,
  handler: (e: IpcMainInvokeEvent, ...args: unknown[]) => Promise<T> | T,
): void {
  ipcMain.handle(channel, async (e, ...args) => {
    if (!isTrusted(e.senderFrame?.url ?? '')) return refused;
    return handler(e, ...args);
  });
}
