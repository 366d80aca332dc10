/**
 * While the window is open, the project's schedules and watched folders run, and each
 * finished run is announced with a system notification. Another project opened in the window
 * takes its schedules over. Schedules that cannot start (a bad cron pattern, a watched folder
 * refused) are a warning: the project stays open and its pipelines run when started by hand.
 */
import { Notification } from 'electron';
import type { SluiceService } from '../service/api-service';
import { scheduleWhileOpen } from '../service/schedules';
import { debugLog } from '../service/debug-log';
import { messageOf } from './dialogs';

/** Tells the user something went wrong in the background (a dialog, in the shell). */
export type Warn = (message: string, detail: string) => void;

/** Starts the schedules; the returned function stops them (for quitting). */
export async function runSchedules(
  service: SluiceService,
  password: (name: string) => string | undefined,
  warn: Warn,
): Promise<() => Promise<void>> {
  const schedule = async (): Promise<() => Promise<void>> => {
    try {
      return await scheduleWhileOpen(service, { password, onRun: notify });
    } catch (e) {
      debugLog(`desktop app: the schedules of ${service.projectDir}`, e);
      warn(
        `The schedules of ${service.projectName} did not start`,
        `${messageOf(e)}\n\nThe project is open; its pipelines run when you start them. Fix the schedule and open the project again.`,
      );
      return async () => undefined;
    }
  };
  let stop = await schedule();
  let switching: Promise<void> = Promise.resolve();
  const unsubscribe = service.subscribe((e) => {
    if (e.type !== 'project.opened') return;
    switching = switching
      .then(async () => {
        await stop();
        stop = await schedule();
      })
      .catch((err: unknown) => {
        debugLog('desktop app: switching schedules', err);
        warn('The schedules could not be switched to the project opened', messageOf(err));
      });
  });
  return async () => {
    unsubscribe();
    await switching;
    await stop();
  };
}

function notify(r: {
  project: string;
  status: string;
  pipelines: { name: string; status: string }[];
}): void {
  if (!Notification.isSupported()) return;
  const failed = r.pipelines.filter((p) => p.status !== 'succeeded').map((p) => p.name);
  new Notification({
    title: `Sluice: ${r.project} ${r.status}`,
    body: failed.length ? `not succeeded: ${failed.join(', ')}` : `${r.pipelines.length} pipelines`,
  }).show();
}
