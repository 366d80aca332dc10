/** The API's profile method: a CSV file of the project profiled over all its rows. */
import type { Handlers, ProjectContext, WorkContext } from '../context';
import { apiProfile } from '../profile';

export function profileHandlers(
  svc: Pick<ProjectContext, 'fileOf'> & Pick<WorkContext, 'profiles'>,
): Pick<Handlers, 'profiles.get'> {
  return {
    'profiles.get': async ({ path }) => apiProfile(await svc.profiles.get(svc.fileOf(path))),
  };
}
