/** The API's log method: a run's log lines. */
import type { Handlers, StoreContext } from '../context';

export function logHandlers(ctx: StoreContext): Pick<Handlers, 'logs.get'> {
  return {
    'logs.get': async ({ run_id, pipeline, tail }) =>
      ctx.withStore((s) => {
        ctx.runOf(s, run_id);
        let lines = s.logs(run_id);
        if (pipeline) lines = lines.filter((l) => l.pipeline === pipeline);
        if (tail) lines = lines.slice(-tail);
        return { items: lines };
      }),
  };
}
