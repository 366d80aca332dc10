/** The API's report method: a run's summary as a JSON or CSV file. */
import type { Handlers, StoreContext } from '../context';
import { runReport } from '../run-report';

export function reportHandlers(ctx: StoreContext): Pick<Handlers, 'reports.export'> {
  return {
    'reports.export': async ({ run_id, format }) =>
      ctx.withStore((s) => {
        ctx.runOf(s, run_id);
        return runReport(s, run_id, format);
      }),
  };
}
