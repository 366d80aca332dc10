/** Schedules and watched folders of an open project, run while the desktop app is open. */
import type { RunReport } from '../../src-shared/recipe/result';
import { Scheduler } from '../orchestrator/scheduler';
import type { ProjectContext, RunContext } from './context';

export async function scheduleWhileOpen(
  service: Pick<ProjectContext, 'project'> & Pick<RunContext, 'store' | 'runHooks'>,
  opts: {
    password?(connection: string): string | undefined;
    onRun(r: RunReport): void;
    onNote?(message: string): void;
  },
): Promise<() => Promise<void>> {
  const scheduler = new Scheduler(service.project, service.store(), {
    password: opts.password,
    onRun: (r) => opts.onRun(r),
    onNote: opts.onNote,
    // The window hears a scheduled run as one started in it: its plan, progress and end.
    hooksPerRun: () => service.runHooks(),
  });
  try {
    scheduler.queueMissed();
    await scheduler.start();
  } catch (e) {
    // A bad schedule after good ones: the timers and runs already started stop with it.
    await scheduler.stop();
    throw e;
  }
  return () => scheduler.stop();
}
