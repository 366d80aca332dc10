/**
 * The native dialogs the shell asks the user with (each picker answers null when cancelled), and
 * how a failure in the background reaches the user instead of vanishing.
 */
import { dialog, type BrowserWindow } from 'electron';
import { debugLog } from '../service/debug-log';

export async function pickFolder(
  win: BrowserWindow | null,
  title: string,
  buttonLabel = 'Open',
): Promise<string | null> {
  const o = { title, buttonLabel, properties: ['openDirectory', 'createDirectory'] as const };
  const r = win
    ? await dialog.showOpenDialog(win, { ...o, properties: [...o.properties] })
    : await dialog.showOpenDialog({ ...o, properties: [...o.properties] });
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

export async function pickCsv(win: BrowserWindow | null): Promise<string | null> {
  const o: Electron.OpenDialogOptions = {
    title: 'Import a CSV file',
    properties: ['openFile'],
    filters: [
      { name: 'CSV files', extensions: ['csv', 'tsv', 'txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const r = win ? await dialog.showOpenDialog(win, o) : await dialog.showOpenDialog(o);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

export async function pickReportFile(
  win: BrowserWindow | null,
  defaultPath: string,
): Promise<string | null> {
  const o: Electron.SaveDialogOptions = {
    title: 'Export the latest run’s report',
    defaultPath,
    filters: [
      { name: 'Report (a web page with charts)', extensions: ['html'] },
      { name: 'Excel workbook', extensions: ['xlsx'] },
      { name: 'PDF document', extensions: ['pdf'] },
      { name: 'JSON summary', extensions: ['json'] },
      { name: 'CSV summary (a row per pipeline)', extensions: ['csv'] },
    ],
  };
  const r = win ? await dialog.showSaveDialog(win, o) : await dialog.showSaveDialog(o);
  return r.canceled || !r.filePath ? null : r.filePath;
}

/** A failure the user should read, attached to the window when there is one. */
export async function tell(
  win: BrowserWindow | null,
  message: string,
  detail?: string,
): Promise<void> {
  const o: Electron.MessageBoxOptions = { type: 'warning', message, detail, buttons: ['OK'] };
  if (win) await dialog.showMessageBox(win, o);
  else await dialog.showMessageBox(o);
}

/** The message of anything thrown, for a dialog's detail. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs what a menu item, the OS or the start set going without waiting for it: a failure is
 * told to the user (`Sluice could not <what>`, why) and its stack kept in the debug log, never
 * left as an unhandled rejection.
 * @example inBackground('export the report', window, () => actions.exportReport())
 */
export function inBackground(
  what: string,
  win: () => BrowserWindow | null,
  f: () => Promise<unknown>,
): void {
  void f()
    .catch((e: unknown) => {
      debugLog(`desktop app: ${what}`, e);
      return tell(win(), `Sluice could not ${what}`, messageOf(e));
    })
    .catch((e: unknown) => debugLog(`desktop app: telling that it could not ${what}`, e));
}
