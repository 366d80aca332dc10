/**
 * A pipeline's saved versions: each pipelines.save keeps the text it wrote in the run store
 * (with its sha256 and the time), so the window can list them and diff any two.
 */
import type { Handlers, ProjectContext, RunContext } from '../context';
import { ApiFailure } from '../errors';

const lines = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

export function versionHandlers(
  svc: ProjectContext & Pick<RunContext, 'store'>,
): Pick<Handlers, 'pipelines.versions' | 'pipelines.version'> {
  const versionsOf = (name: string) => svc.store().versions(svc.project.dir, name);
  return {
    'pipelines.versions': async ({ name }) => ({
      items: versionsOf(name).map((v) => ({
        hash: v.hash,
        saved_at: v.savedAt,
        lines: lines(v.text),
      })),
    }),

    'pipelines.version': async ({ name, hash }) => {
      const found = versionsOf(name).filter((v) => v.hash.startsWith(hash));
      const distinct = new Set(found.map((v) => v.hash));
      if (!found.length)
        throw new ApiFailure('not_found', `pipeline "${name}" has no saved version ${hash}`);
      if (distinct.size > 1)
        throw new ApiFailure(
          'bad_request',
          `${hash} is the start of ${distinct.size} versions' hashes; give more of it`,
        );
      const v = found[0];
      return { hash: v.hash, saved_at: v.savedAt, lines: lines(v.text), text: v.text };
    },
  };
}
