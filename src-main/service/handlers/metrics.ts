/** The API's metrics method: run totals of the project. */
import type { Handlers, ProjectContext, StoreContext } from '../context';

export function metricsHandlers(
  ctx: StoreContext & Pick<ProjectContext, 'project'>,
): Pick<Handlers, 'metrics.summary'> {
  return {
    'metrics.summary': async () =>
      ctx.withStore((s) => {
        const t = s.runTotals(ctx.project.dir);
        const ended = t.succeeded + t.failed + t.cancelled + t.interrupted;
        return {
          runs: t.runs,
          succeeded: t.succeeded,
          failed: t.failed,
          cancelled: t.cancelled,
          interrupted: t.interrupted,
          success_rate: ended ? t.succeeded / ended : null,
          mean_duration_ms: t.meanDurationMs,
          rows_in: t.rowsIn,
          rows_out: t.rowsOut,
          rows_rejected: t.rowsRejected,
        };
      }),
  };
}
