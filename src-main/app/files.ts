/**
 * Reports and outputs as files on the desktop: the window's Report / Excel / PDF / CSV buttons
 * and File > Export Report… ask where to save (the system's dialog), save there whole or not at
 * all, and open the file with the OS's program for it; Show in folder reveals an output. PDFs
 * are printed by Chromium inside Electron (webContents.printToPDF) from the HTML report.
 */
import { copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { app, BrowserWindow, dialog, shell } from 'electron';
import { z } from 'zod';
import type { ApiResult } from '../../src-shared/api/contract';
import type { FileRequest, OutputRef } from '../../src-shared/bridge';
import type { Dispatch } from '../transports/dispatcher';
import { messageOf } from './dialogs';

type FileResult = { filename: string; content_type: string; path: string; temporary: boolean };

/** What the window may ask for: exactly the two file methods, their parameters checked by the dispatcher. */
const Request = z.discriminatedUnion('method', [
  z.object({ method: z.literal('reports.download'), params: z.record(z.string(), z.unknown()) }),
  z.object({ method: z.literal('outputs.download'), params: z.record(z.string(), z.unknown()) }),
]);
const Ref = z.strictObject({
  run_id: z.string().min(1).max(200),
  pipeline: z.string().min(1).max(200),
  output: z.number().int().min(0),
});

const FILTERS: Record<string, Electron.FileFilter> = {
  '.html': { name: 'Web page (HTML report)', extensions: ['html'] },
  '.xlsx': { name: 'Excel workbook', extensions: ['xlsx'] },
  '.pdf': { name: 'PDF document', extensions: ['pdf'] },
  '.csv': { name: 'CSV file', extensions: ['csv'] },
  '.json': { name: 'JSON file', extensions: ['json'] },
};

const failure = (
  message: string,
  code: 'internal' | 'bad_request' = 'internal',
): ApiResult<never> => ({
  ok: false,
  error: { code, message },
});

/** Puts `from` at `to` whole or not at all (a part file renamed into place). */
export function placeFile(from: string, to: string): void {
  const part = `${to}.part-${process.pid}`;
  try {
    copyFileSync(from, part);
    renameSync(part, to);
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
}

/** Prints an HTML file to PDF in a hidden window: A4, or Letter where the OS is set to the US or Canada. */
export async function printWithElectron(html: string, pdf: string): Promise<void> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
    },
  });
  try {
    await win.loadFile(html);
    const letter = ['US', 'CA'].includes(app.getLocaleCountryCode?.() ?? '');
    const data = await win.webContents.printToPDF({
      pageSize: letter ? 'Letter' : 'A4',
      printBackground: true,
    });
    writeFileSync(pdf, data);
  } finally {
    win.destroy();
  }
}

export function fileActions(d: { dispatch: Dispatch; window(): BrowserWindow | null }) {
  /** Asks where to save `defaultName`; null when cancelled. */
  const askWhere = async (title: string, defaultName: string): Promise<string | null> => {
    const filter = FILTERS[extname(defaultName).toLowerCase()];
    const o: Electron.SaveDialogOptions = {
      title,
      defaultPath: join(app.getPath('documents'), defaultName),
      filters: [...(filter ? [filter] : []), { name: 'All files', extensions: ['*'] }],
    };
    const win = d.window();
    const r = win ? await dialog.showSaveDialog(win, o) : await dialog.showSaveDialog(o);
    return r.canceled || !r.filePath ? null : r.filePath;
  };

  /** Makes the file, asks where it goes, puts it there, opens it if asked. */
  const save = async (request: unknown, open: boolean): Promise<ApiResult<string | null>> => {
    const req = Request.safeParse(request);
    if (!req.success) return failure('not a report or output request', 'bad_request');
    const made = await d.dispatch(req.data.method, req.data.params);
    if (!made.ok) return made;
    const f = made.value as FileResult;
    try {
      const to = await askWhere(
        req.data.method === 'reports.download' ? 'Save the run’s report' : 'Save the output',
        f.filename,
      );
      if (!to) return { ok: true, value: null };
      try {
        placeFile(f.path, to);
      } catch (e) {
        return failure(`Sluice could not save ${to}: ${messageOf(e)}`);
      }
      if (open) {
        const why = await shell.openPath(to);
        if (why) return failure(`Saved to ${to}, but it could not be opened: ${why}`);
      }
      return { ok: true, value: to };
    } finally {
      if (f.temporary) rmSync(f.path, { force: true });
    }
  };

  /** Reveals an output of a run in the file manager. */
  const show = async (ref: unknown): Promise<ApiResult<null>> => {
    const r = Ref.safeParse(ref);
    if (!r.success) return failure('not an output of a run', 'bad_request');
    const list = await d.dispatch('outputs.list', { run_id: r.data.run_id });
    if (!list.ok) return list;
    const o = (
      list.value as { outputs: { pipeline: string; output: number; kind: string; path: string }[] }
    ).outputs.find((x) => x.pipeline === r.data.pipeline && x.output === r.data.output);
    if (!o || o.kind === 'postgres')
      return failure('that output is not a file on this computer', 'bad_request');
    shell.showItemInFolder(o.path);
    return { ok: true, value: null };
  };

  return { save, show, askWhere };
}

export type FileActions = ReturnType<typeof fileActions>;
export type { FileRequest, OutputRef };
