/** The API's profile method: a CSV file of the project profiled over all its rows. */
import type { Handlers, ProjectContext, WorkContext } from '../context';

export function profileHandlers(
  svc: Pick<ProjectContext, 'fileOf'> & Pick<WorkContext, 'profiles'>,
): Pick<Handlers, 'profiles.get'> {
  return {
    'profiles.get': async ({ path }) => {
      const p = await svc.profiles.get(svc.fileOf(path));
      const { rows, suggestedKey, columns, source, rejects } = p;
      return {
        rows,
        suggested_key: suggestedKey,
        source: source as unknown as Record<string, unknown>,
        columns: columns as unknown as Record<string, unknown>[],
        rejected_lines: rejects.length,
      };
    },
  };
}
