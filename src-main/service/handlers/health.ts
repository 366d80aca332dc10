/** The API's health method: is the server up, and for which project. */
import { VERSION } from '../../../src-shared/version';
import type { Handlers, ProjectContext } from '../context';

export function healthHandlers(
  ctx: Pick<ProjectContext, 'project' | 'opts'>,
): Pick<Handlers, 'health'> {
  return {
    health: async () => ({
      status: 'ok' as const,
      version: ctx.opts.version ?? VERSION,
      project: ctx.project.project.name,
    }),
  };
}
