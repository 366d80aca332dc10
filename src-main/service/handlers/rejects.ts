/** The API's reject methods: a run's rejected and removed rows, as a page or CSV, and retried. */
import type { Handlers, StoreContext } from '../context';
import { ApiFailure } from '../errors';
import { apiPage, rejectInfo } from '../mappers';
import { rejectsCsv } from '../rejects-export';
import { retryRejects, RetryError } from '../retry';

export function rejectHandlers(
  ctx: StoreContext,
): Pick<Handlers, 'rejects.list' | 'rejects.export' | 'rejects.retry'> {
  return {
    'rejects.list': async ({ run_id, page, page_size }) =>
      ctx.withStore((s) => {
        ctx.runOf(s, run_id);
        return apiPage(s.rejects(run_id, { page, pageSize: page_size }), rejectInfo);
      }),

    'rejects.export': async ({ run_id }) =>
      ctx.withStore((s) => {
        ctx.runOf(s, run_id);
        return rejectsCsv(s, run_id);
      }),

    'rejects.retry': async ({ run_id }) =>
      ctx.withStore(async (s) => {
        ctx.runOf(s, run_id);
        const results = await retryRejects(s, run_id, {
          data: ctx.folders.data,
          allow: ctx.folders.allow,
          password: ctx.password?.bind(ctx),
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
  };
}
