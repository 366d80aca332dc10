/** The API's health method: is the server up, and for which project. */
import type { Handlers, ProjectContext } from '../context';

export function healthHandlers(
  ctx: Pick<ProjectContext, 'project' | 'opts'>,
): Pick<Handlers, 'health'> {
  return {
    health: async () => ({
      status: 'ok' as const,
      version: ctx.opts.version ?? '0.1.0',
      project: ctx.project.project.name,
    }),
  };
}
