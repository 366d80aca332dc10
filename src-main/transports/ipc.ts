/**
 * Electron IPC: one `ipcMain.handle` for every call, through the same dispatcher as HTTP. Each
 * call's sender frame must be our renderer, and its payload is checked before it goes on.
 * Events go to the renderer's webContents. ipcMain is passed in, so this runs (and is tested)
 * without Electron.
 */
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../src-shared/bridge';
import type { ApiEvent, ApiResult } from '../../src-shared/api/contract';
import type { Dispatch } from './dispatcher';

/** The part of Electron's IpcMainInvokeEvent we use. */
export interface InvokeEvent {
  senderFrame: { url: string } | null;
}

/** The part of Electron's ipcMain we use. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

export interface IpcOptions {
  dispatch: Dispatch;
  /** Whether a frame at this URL is our renderer (file:// of the app, or the dev server). */
  isTrustedUrl(url: string): boolean;
}

export function registerIpc(ipcMain: IpcMainLike, opts: IpcOptions): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, request): Promise<ApiResult<unknown>> => {
    const url = event.senderFrame?.url ?? '';
    if (!opts.isTrustedUrl(url))
      return {
        ok: false,
        error: {
          code: 'forbidden',
          message: `calls from ${url || 'an unknown frame'} are refused`,
        },
      };
    if (
      request === null ||
      typeof request !== 'object' ||
      typeof (request as { method?: unknown }).method !== 'string'
    )
      return {
        ok: false,
        error: { code: 'bad_request', message: 'a call is { method: string, payload }' },
      };
    const { method, payload } = request as { method: string; payload?: unknown };
    return opts.dispatch(method, payload);
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/** Sends every event to a renderer (its webContents.send) until the returned function is called. */
export function forwardEvents(
  subscribe: (listener: (e: ApiEvent) => void) => () => void,
  send: (channel: string, e: ApiEvent) => void,
): () => void {
  return subscribe((e) => send(EVENT_CHANNEL, e));
}
