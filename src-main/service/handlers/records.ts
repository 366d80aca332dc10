/** The API's methods over what runs recorded: logs, rejects, outputs written, metrics. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storePathFor } from '../../orchestrator/run-project';
import { openStore } from '../../store/sqlite-store';
import { ApiFailure, type Handlers, type SluiceService } from '../api-service';
import { exportRejects } from '../rejects-export';
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
> {
  return {
    'logs.get': async ({ run_id, pipeline, tail }) =>
      svc.withStore((s) => {
        if (!s.getRun(run_id)) throw new ApiFailure('not_found', `there is no run ${run_id}`);
        let lines = s.logs(run_id);
        if (pipeline) lines = lines.filter((l) => l.pipeline === pipeline);
        if (tail) lines = lines.slice(-tail);
        return { items: lines };
      }),

    'rejects.list': async ({ run_id, page, page_size }) =>
      svc.withStore((s) => {
        if (!s.getRun(run_id)) throw new ApiFailure('not_found', `there is no run ${run_id}`);
        const r = s.rejects(run_id, { page, pageSize: page_size });
        return {
          items: r.items.map((x) => ({
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
          })),
          page: r.page,
          page_size: r.pageSize,
          total: r.total,
          has_next: r.hasNext,
        };
      }),

    'rejects.export': async ({ run_id }) =>
      svc.withStore((s) => {
        if (!s.getRun(run_id)) throw new ApiFailure('not_found', `there is no run ${run_id}`);
        const dir = mkdtempSync(join(tmpdir(), 'sluice-export-'));
        try {
          const path = join(dir, 'rejects.csv');
          const rows = exportRejects(s, run_id, path);
          return { rows, csv: readFileSync(path, 'utf8') };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),

    'rejects.retry': async ({ run_id }) => {
      const store = openStore(storePathFor(svc.project, svc.opts.storePath));
      try {
        if (!store.getRun(run_id)) throw new ApiFailure('not_found', `there is no run ${run_id}`);
        const results = await retryRejects(store, run_id, { data: svc.opts.dataDir }).catch(
          (e: unknown) => {
            if (e instanceof RetryError) throw new ApiFailure('conflict', e.message);
            throw e;
          },
        );
        return {
          results: results.map((r) => ({
            pipeline: r.pipeline,
            step: r.step,
            retried: r.retried,
            loaded: r.loaded,
            still_refused: r.stillRefused,
          })),
        };
      } finally {
        store.close();
      }
    },

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

    'metrics.summary': async () =>
      svc.withStore((s) => {
        const t = s.runTotals(svc.project.dir);
        const ended = t.succeeded + t.failed + t.cancelled;
        return {
          runs: t.runs,
          succeeded: t.succeeded,
          failed: t.failed,
          cancelled: t.cancelled,
          success_rate: ended ? t.succeeded / ended : null,
          mean_duration_ms: t.meanDurationMs,
          rows_in: t.rowsIn,
          rows_out: t.rowsOut,
          rows_rejected: t.rowsRejected,
        };
      }),
  };
}
