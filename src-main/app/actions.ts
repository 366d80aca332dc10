/**
 * What the File menu and the launch arguments do on the main side, through the same
 * dispatcher as the window's own calls: open or create a project (its project.opened event
 * updates the window), ask the window to import a file, export the latest run's report (HTML,
 * Excel, PDF, or the JSON or CSV summary).
 */
import { rmSync } from 'node:fs';
import { extname } from 'node:path';
import { shell, type BrowserWindow } from 'electron';
import { REPORT_FORMATS, type ApiResult } from '../../src-shared/api/contract';
import type { AppCommand } from '../../src-shared/desktop';
import type { Dispatch } from '../transports/dispatcher';
import type { OpenTarget } from './args';
import { messageOf, pickCsv, pickFolder, pickReportFile, tell } from './dialogs';
import { placeFile } from './files';

export interface ActionDeps {
  dispatch: Dispatch;
  /** The window now (it may have been closed and opened again), or null. */
  window(): BrowserWindow | null;
  /** Sends a command to the window (held until it has loaded). */
  command(c: AppCommand): void;
}

export function shellActions(d: ActionDeps) {
  const failed = (r: ApiResult<unknown>): r is Extract<ApiResult<unknown>, { ok: false }> => !r.ok;

  const openDir = async (dir: string, create = false): Promise<boolean> => {
    const r = await d.dispatch('projects.open', { dir, create });
    if (failed(r)) {
      await tell(d.window(), `Sluice could not open ${dir}`, r.error.message);
      return false;
    }
    return true;
  };

  return {
    openDir,

    async newProject(): Promise<void> {
      const dir = await pickFolder(d.window(), 'Choose a folder for the new project', 'Create');
      if (dir) await openDir(dir, true);
    },

    async openProject(): Promise<void> {
      const dir = await pickFolder(d.window(), 'Open a project folder');
      if (dir) await openDir(dir);
    },

    async importCsv(): Promise<void> {
      const path = await pickCsv(d.window());
      if (path) d.command({ type: 'app.command', command: 'import', path });
    },

    /** Opens or imports what a launch, a second launch or the OS handed over; says what it cannot. */
    async open(targets: OpenTarget[]): Promise<void> {
      const refused: string[] = [];
      for (const t of targets)
        if (t.kind === 'project') await openDir(t.dir);
        else if (t.kind === 'import')
          d.command({ type: 'app.command', command: 'import', path: t.path });
        else refused.push(`${t.path}: ${t.reason}`);
      if (refused.length)
        await tell(
          d.window(),
          refused.length === 1 ? 'Sluice cannot open this' : 'Sluice cannot open these',
          refused.join('\n'),
        );
    },

    /**
     * File > Export Report…: the latest run's report where the user says, as the extension
     * chosen says (HTML by default, Excel, PDF, or the JSON or CSV summary), then opened with
     * the OS's program for it (HTML, Excel and PDF).
     */
    async exportReport(): Promise<void> {
      const runs = await d.dispatch('runs.list', { page_size: 1 });
      if (failed(runs))
        return tell(d.window(), 'Sluice could not list the runs', runs.error.message);
      const latest = (runs.value as { items: { id: string }[] }).items[0];
      if (!latest)
        return tell(d.window(), 'There is no run to report on yet', 'Run the project first.');
      const path = await pickReportFile(d.window(), `sluice-report-${latest.id}.html`);
      if (!path) return;
      const ext = extname(path).toLowerCase().slice(1);
      const format = (REPORT_FORMATS as readonly string[]).includes(ext) ? ext : 'html';
      const r = await d.dispatch('reports.download', { run_id: latest.id, format });
      if (failed(r)) return tell(d.window(), 'Sluice could not export the report', r.error.message);
      const made = r.value as { path: string; temporary: boolean };
      try {
        placeFile(made.path, path);
      } catch (e) {
        return tell(d.window(), `Sluice could not write the report to ${path}`, messageOf(e));
      } finally {
        if (made.temporary) rmSync(made.path, { force: true });
      }
      if (format === 'html' || format === 'xlsx' || format === 'pdf') {
        const why = await shell.openPath(path);
        if (why)
          await tell(d.window(), `The report is saved to ${path}, but it could not be opened`, why);
      }
    },
  };
}

export type ShellActions = ReturnType<typeof shellActions>;
