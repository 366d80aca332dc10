/** The API's project method: the open project and its pipelines, with each one's last run. */
import { sourceLabel } from '../../../src-shared/recipe/source-label';
import { upstreamOf } from '../../orchestrator/graph';
import type { Handlers, ProjectContext, StoreContext } from '../context';

export function projectHandlers(svc: ProjectContext & StoreContext): Pick<Handlers, 'project.get'> {
  return {
    'project.get': async () => {
      await svc.reload();
      // A cancelled task wrote nothing and a running one nothing yet: the last finished result
      // (its status, its rows) is still what the outputs hold, so a cancel does not wipe it.
      const last = await svc.withStore((s) => {
        const finished = s.lastTasks(svc.project.dir, undefined, ['cancelled', 'running']);
        for (const [p, t] of s.lastTasks(svc.project.dir)) if (!finished.has(p)) finished.set(p, t);
        return finished;
      });
      return {
        name: svc.project.project.name,
        dir: svc.project.dir,
        data_dir: svc.dataDir(),
        pipelines: svc.project.pipelines.map(({ pipeline: p, file }) => {
          const t = last.get(p.name);
          return {
            name: p.name,
            description: p.description ?? null,
            file,
            depends_on: p.depends_on,
            upstream: upstreamOf(p),
            source: p.source.pipeline ? `pipeline ${p.source.pipeline}` : sourceLabel(p.source),
            outputs: p.outputs.map((o) => ({
              kind: o.kind,
              target: o.kind === 'csv' ? o.path : o.table,
            })),
            last_run: t
              ? {
                  run_id: t.runId,
                  status: t.status,
                  rows_out: t.report?.rowsOut ?? 0,
                  finished_at: t.finishedAt,
                }
              : null,
          };
        }),
      };
    },
  };
}
