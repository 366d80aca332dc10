/** The API's metadata method: what the project's pipelines last wrote. */
import type { Handlers, ProjectContext, StoreContext } from '../context';

export function metadataHandlers(
  ctx: StoreContext & Pick<ProjectContext, 'project'>,
): Pick<Handlers, 'metadata.outputs'> {
  return {
    'metadata.outputs': async () =>
      ctx.withStore((s) => {
        const items = [];
        for (const [pipeline, t] of s.lastTasks(ctx.project.dir, 'succeeded'))
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
  };
}
