/** The native dialogs the shell asks the user with; each answers null when cancelled. */
import { dialog, type BrowserWindow } from 'electron';

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
      { name: 'JSON report', extensions: ['json'] },
      { name: 'CSV report (a row per pipeline)', extensions: ['csv'] },
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
