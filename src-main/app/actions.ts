/**
 * What the File menu and the launch arguments do on the main side, through the same
 * dispatcher as the window's own calls: open or create a project (its project.opened event
 * updates the window), ask the window to import a file, export the latest run's report.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { BrowserWindow } from 'electron';
import type { ApiResult } from '../../src-shared/api/contract';
import type { AppCommand } from '../../src-shared/desktop';
import type { Dispatch } from '../transports/dispatcher';
import type { OpenTarget } from './args';
import { messageOf, pickCsv, pickFolder, pickReportFile, tell } from './dialogs';

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

    async exportReport(): Promise<void> {
      const runs = await d.dispatch('runs.list', { page_size: 1 });
      if (failed(runs))
        return tell(d.window(), 'Sluice could not list the runs', runs.error.message);
      const latest = (runs.value as { items: { id: string }[] }).items[0];
      if (!latest)
        return tell(d.window(), 'There is no run to report on yet', 'Run the project first.');
      const path = await pickReportFile(d.window(), `sluice-report-${latest.id}.json`);
      if (!path) return;
      const format = extname(path).toLowerCase() === '.csv' ? 'csv' : 'json';
      const r = await d.dispatch('reports.export', { run_id: latest.id, format });
      if (failed(r)) return tell(d.window(), 'Sluice could not export the report', r.error.message);
      try {
        writeFileSync(path, (r.value as { content: string }).content);
      } catch (e) {
        await tell(d.window(), `Sluice could not write the report to ${path}`, messageOf(e));
      }
    },
  };
}

export type ShellActions = ReturnType<typeof shellActions>;
