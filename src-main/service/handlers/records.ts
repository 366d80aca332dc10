/** The API's methods over what runs recorded: logs, rejects, outputs written, metrics. */
import { ApiFailure, apiPage, type Handlers, type SluiceService } from '../api-service';
import { rejectsCsv } from '../rejects-export';
import { runReport } from '../run-report';
import { retryRejects, RetryError } from '../retry';

export function recordHandlers(
  svc: SluiceService,
): Pick<
  Handlers,
  | 'logs.get'
  | 'rejects.list'
  | 'rejects.export'
  | 'rejects.retry'
  | 'metadata.outputs'
  | 'metrics.summary'
  | 'reports.export'
> {
  return {
    'logs.get': async ({ run_id, pipeline, tail }) =>
      svc.withStore((s) => {
        svc.runOf(s, run_id);
        let lines = s.logs(run_id);
        if (pipeline) lines = lines.filter((l) => l.pipeline === pipeline);
        if (tail) lines = lines.slice(-tail);
        return { items: lines };
      }),

    'rejects.list': async ({ run_id, page, page_size }) =>
      svc.withStore((s) => {
        svc.runOf(s, run_id);
        return apiPage(s.rejects(run_id, { page, pageSize: page_size }), (x) => ({
          id: x.id,
          pipeline: x.pipeline,
          kind: x.kind,
          source: x.source,
          line: x.line,
          raw: x.raw,
          step: x.step,
          rule: x.rule,
          reason: x.reason,
          record: x.record,
          status: x.status,
        }));
      }),

    'rejects.export': async ({ run_id }) =>
      svc.withStore((s) => {
        svc.runOf(s, run_id);
        return rejectsCsv(s, run_id);
      }),

    'rejects.retry': async ({ run_id }) =>
      svc.withStore(async (s) => {
        svc.runOf(s, run_id);
        const results = await retryRejects(s, run_id, {
          data: svc.opts.dataDir,
          allow: svc.opts.allow,
        }).catch((e: unknown) => {
          if (e instanceof RetryError) throw new ApiFailure('conflict', e.message);
          throw e;
        });
        return {
          results: results.map((r) => ({
            pipeline: r.pipeline,
            step: r.step,
            retried: r.retried,
            loaded: r.loaded,
            still_refused: r.stillRefused,
          })),
        };
      }),

    'metadata.outputs': async () =>
      svc.withStore((s) => {
        const items = [];
        for (const [pipeline, t] of s.lastTasks(svc.project.dir, 'succeeded'))
          for (const o of t.report?.outputs ?? [])
            items.push({
              pipeline,
              kind: o.kind,
              target: o.path,
              table: o.table ?? null,
              rows: o.rows,
              run_id: t.runId,
              finished_at: t.finishedAt,
            });
        return { items };
      }),

    'reports.export': async ({ run_id, format }) =>
      svc.withStore((s) => {
        svc.runOf(s, run_id);
        return runReport(s, run_id, format);
      }),

    'metrics.summary': async () =>
      svc.withStore((s) => {
        const t = s.runTotals(svc.project.dir);
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
