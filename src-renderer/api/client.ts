/**
 * The one API client of the window: over IPC inside the desktop app (window.sluice), over the
 * local HTTP server in a browser (the key arrives in the address's #key= part, is kept for
 * this tab only and taken out of the address bar). Components never call a transport: the
 * store does, through this.
 */
import {
  eventOf,
  type ApiError,
  type ApiEvent,
  type MethodName,
  type Params,
  type Result,
} from '../../src-shared/api/contract';
import { callOverHttp, fileOverHttp } from '../../src-shared/api/http-client';
import type { FileRequest, OutputRef, SluiceBridge } from '../../src-shared/bridge';
import { appCommandOf, type AppCommand } from '../../src-shared/desktop';

declare global {
  interface Window {
    sluice?: SluiceBridge;
  }
}

/** A failed call, with the API's error code and message. */
export class ApiCallError extends Error {
  constructor(
    readonly code: ApiError['code'] | 'network',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface ApiClient {
  call<M extends MethodName>(method: M, params?: Params<M>): Promise<Result<M>>;
  /**
   * The API's events, and on the same channel the desktop shell's commands (menus, dock,
   * command line) for `onCommand`; a browser tab gets events only.
   */
  subscribe(listener: (e: ApiEvent) => void, onCommand?: (c: AppCommand) => void): () => void;
  /**
   * Makes a dropped or picked file importable and answers the path to inspect it by: the
   * file's own path in the desktop app, or the file streamed into the data folder in a browser.
   */
  importable(file: File, replace?: boolean): Promise<string>;
  /** The system's folder picker, in the desktop app only (a browser cannot name a folder). */
  readonly pickFolder: (() => Promise<string | null>) | null;
  /**
   * Gets a report or an output file. `open`: an HTML report opens in a new tab of the browser,
   * and in the desktop app any file opens with the OS's program once saved. Else it is saved:
   * the browser's download, the desktop's save dialog. Answers where it was saved (the desktop
   * app), 'downloaded' or 'opened' (a browser), or null when the user cancelled.
   */
  getFile(request: FileRequest, open: boolean): Promise<string | null>;
  /** Shows an output file in the OS's file manager (the desktop app only). */
  readonly showFile: ((output: OutputRef) => Promise<void>) | null;
  readonly kind: 'ipc' | 'http';
}

const KEY_ITEM = 'sluice.api-key';

/** The key from #key=… (then removed from the address) or from this tab's session. */
function takeKey(): string {
  const m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(KEY_ITEM, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY_ITEM) ?? '';
}

/** An event that crossed the transport, or null (and a warning) for one outside the contract. */
function checked(data: unknown): ApiEvent | null {
  const e = eventOf(data);
  if (!e) console.warn('Sluice: an event outside the contract was ignored', data);
  return e;
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: ApiError }): T {
  if (r.ok) return r.value;
  throw new ApiCallError(r.error.code, r.error.message, r.error.details);
}

function httpClient(base: string): ApiClient {
  const key = takeKey();
  const listeners = new Set<(e: ApiEvent) => void>();
  let stream: AbortController | null = null;

  // EventSource cannot send a header, so the stream is read with fetch; it reconnects.
  const connect = (): void => {
    const ctl = new AbortController();
    stream = ctl;
    void (async () => {
      try {
        const res = await fetch(`${base}/api/events`, {
          headers: { 'X-API-Key': key },
          signal: ctl.signal,
        });
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const chunk = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = chunk.split('\n').find((l) => l.startsWith('data: '));
            const e = data ? checked(JSON.parse(data.slice(6))) : null;
            if (e) for (const l of listeners) l(e);
          }
        }
      } catch {
        // closed or the server went away
      }
      if (!ctl.signal.aborted && listeners.size) setTimeout(connect, 1000);
    })();
  };

  /**
   * The preview in flight for each pipeline. The server answers one that a newer preview of the
   * same pipeline replaced with a conflict, which the browser would log as a failed load; the
   * client drops it first, with the same conflict, so the console stays clean.
   */
  const previews = new Map<string, AbortController>();

  return {
    kind: 'http',
    async call(method, params) {
      const p = (params ?? {}) as Record<string, unknown>;
      const slot = method === 'pipelines.preview' ? String(p.name) : null;
      const ctl = new AbortController();
      if (slot !== null) {
        previews.get(slot)?.abort();
        previews.set(slot, ctl);
      }
      let r;
      try {
        r = await callOverHttp(base, key, method, p, undefined, ctl.signal);
      } catch (e) {
        if (ctl.signal.aborted)
          throw new ApiCallError('conflict', 'a newer preview of this pipeline replaced this one');
        throw new ApiCallError('network', `the Sluice server does not answer: ${String(e)}`);
      } finally {
        if (slot !== null && previews.get(slot) === ctl) previews.delete(slot);
      }
      return unwrap(r) as never;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!stream) connect();
      return () => {
        listeners.delete(listener);
        if (!listeners.size) {
          stream?.abort();
          stream = null;
        }
      };
    },
    async importable(file, replace = false) {
      const r = await callOverHttp(base, key, 'files.upload', { name: file.name, replace }, file);
      return (unwrap(r) as Result<'files.upload'>).path;
    },
    pickFolder: null,
    async getFile(request, open) {
      // A tab opened now, while the click still counts as the user's, is not blocked as a pop-up.
      const tab = open && request.params.format === 'html' ? window.open('', '_blank') : null;
      let r;
      try {
        r = await fileOverHttp(base, key, request.method, request.params);
      } catch (e) {
        tab?.close();
        throw new ApiCallError('network', `the Sluice server does not answer: ${String(e)}`);
      }
      if (!r.ok) tab?.close();
      const f = unwrap(r);
      const url = URL.createObjectURL(f.blob);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      if (tab) {
        tab.location.href = url;
        return 'opened';
      }
      const a = document.createElement('a');
      a.href = url;
      a.download = f.filename;
      document.body.append(a);
      a.click();
      a.remove();
      return 'downloaded';
    },
    showFile: null,
  };
}

function ipcClient(bridge: SluiceBridge): ApiClient {
  return {
    kind: 'ipc',
    async call(method, params) {
      return unwrap(
        (await bridge.invoke(method, params ?? {})) as Parameters<typeof unwrap>[0],
      ) as never;
    },
    subscribe: (listener, onCommand) =>
      bridge.subscribe((data) => {
        // A cheap look at the type first: progress events come many a second.
        if ((data as { type?: unknown } | null)?.type === 'app.command') {
          const c = appCommandOf(data);
          if (!c) console.warn('Sluice: a desktop command outside the protocol was ignored', data);
          else onCommand?.(c);
          return;
        }
        const e = checked(data);
        if (e) listener(e);
      }),
    importable: async (file) => bridge.pathForFile(file),
    pickFolder: () => bridge.pickFolder(),
    getFile: async (request, open) => unwrap(await bridge.saveFile(request, open)),
    showFile: async (output) => void unwrap(await bridge.showFile(output)),
  };
}

/** The client for where this window runs. */
export function createClient(): ApiClient {
  return window.sluice ? ipcClient(window.sluice) : httpClient(location.origin);
}
