/** The API's methods for the projects a user has: the recent ones, and opening (or starting) one. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { isInside } from '../../io/confine';
import type { Handlers, ProjectContext, ProjectSwitch, RunContext } from '../context';
import { ApiFailure } from '../errors';
import { createProject } from '../new-project';
import { recentProjects, rememberProject } from '../recent';

/** A project's name from its sluice.yaml, or null when it cannot be read. */
function nameOf(dir: string): string | null {
  try {
    const doc = parse(readFileSync(join(dir, 'sluice.yaml'), 'utf8')) as { name?: unknown };
    return typeof doc?.name === 'string' ? doc.name : null;
  } catch {
    return null;
  }
}

export function projectsHandlers(
  svc: Pick<ProjectContext, 'project' | 'opts'> & Pick<RunContext, 'active'> & ProjectSwitch,
): Pick<Handlers, 'projects.recent' | 'projects.open'> {
  return {
    'projects.recent': async () => ({
      current: svc.project.dir,
      items: recentProjects().map((dir) => ({ dir, name: nameOf(dir) })),
    }),

    'projects.open': async ({ dir, create }) => {
      if (!isAbsolute(dir))
        throw new ApiFailure('bad_request', `give the folder's full path, not "${dir}"`);
      const target = resolve(dir);
      // An API caller may open the projects opened lately and folders the person who started
      // the server allowed (--allow-path); the desktop app's user may open any folder.
      if (
        !svc.opts.localFiles &&
        !recentProjects().includes(target) &&
        !(svc.opts.allow ?? []).some((root) => isInside(target, root))
      )
        throw new ApiFailure(
          'forbidden',
          `${target} is not a recent project or inside a folder this server allows: start sluice serve with --allow-path to allow it`,
        );
      if (existsSync(target) && !statSync(target).isDirectory())
        throw new ApiFailure('bad_request', `${target} is a file, not a folder`);
      if (!existsSync(target) && !create)
        throw new ApiFailure('not_found', `there is no folder ${target}`);
      const isProject = existsSync(join(target, 'sluice.yaml'));
      if (!isProject && !create)
        throw new ApiFailure(
          'not_found',
          `${target} is not a Sluice project (it has no sluice.yaml): create one there to start`,
          { can_create: true },
        );
      if (svc.active.size)
        throw new ApiFailure(
          'conflict',
          'a run is in progress: wait for it to end or cancel it before opening another project',
        );
      if (!isProject) createProject(target);
      await svc.openProject(target);
      rememberProject(target);
      return { name: svc.project.project.name, dir: svc.project.dir, created: !isProject };
    },
  };
}
