/**
 * While the window is open, the project's schedules and watched folders run, and each
 * finished run is announced with a system notification. Another project opened in the window
 * takes its schedules over.
 */
import { Notification } from 'electron';
import type { SluiceService } from '../service/api-service';
import { scheduleWhileOpen } from '../service/schedules';

/** Starts the schedules; the returned function stops them (for quitting). */
export async function runSchedules(
  service: SluiceService,
  password: (name: string) => string | undefined,
): Promise<() => Promise<void>> {
  const schedule = (): Promise<() => Promise<void>> =>
    scheduleWhileOpen(service, {
      password,
      onRun: (r) => {
        if (!Notification.isSupported()) return;
        const failed = r.pipelines.filter((p) => p.status !== 'succeeded').map((p) => p.name);
        new Notification({
          title: `Sluice: ${r.project} ${r.status}`,
          body: failed.length
            ? `not succeeded: ${failed.join(', ')}`
            : `${r.pipelines.length} pipelines`,
        }).show();
      },
    });
  let stop = await schedule();
  let switching: Promise<void> = Promise.resolve();
  const unsubscribe = service.subscribe((e) => {
    if (e.type !== 'project.opened') return;
    switching = switching.then(async () => {
      await stop();
      stop = await schedule();
    });
  });
  return async () => {
    unsubscribe();
    await switching;
    await stop();
  };
}
