/** The API's import methods: what inference finds in a CSV file, and a pipeline written from it. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write';
import { PathRefused, readablePath } from '../../io/confine';
import { allowFolders } from '../allow-paths';
import type { KeyCheck } from '../../../src-shared/api/contract';
import { Pipeline, type SourceSettings } from '../../../src-shared/recipe/pipeline';
import type { Handlers, ProjectContext, WorkContext } from '../context';
import { ApiFailure } from '../errors';
import { sourcePath } from '../source-path';
import { pipelineName, recipeFromProfile, recipeText } from '../import';
import { apiColumnProfile, type FileProfile } from '../profile';
import { ProfileFailed } from '../../orchestrator/worker-pool';

type Overrides = Pick<Partial<SourceSettings>, 'encoding' | 'delimiter' | 'header'>;

/** Only the settings the user chose; the rest stay "auto". */
function settingsOf(o: Overrides): Overrides {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** A bad_request naming the key's columns the file does not have; nothing when all are there. */
function checkKeyColumns(p: FileProfile, key: string[] | null | undefined): void {
  const names = new Set(p.columns.map((c) => c.name));
  const unknown = (key ?? []).filter((k) => !names.has(k));
  if (unknown.length)
    throw new ApiFailure(
      'bad_request',
      `the key names columns the file does not have: ${unknown.join(', ')} (it has ${[...names].join(', ')})`,
    );
}

export function importHandlers(
  svc: ProjectContext & Pick<WorkContext, 'profiles' | 'workers'>,
): Pick<Handlers, 'imports.inspect' | 'imports.create'> {
  /** Counts over every row, on a worker, after the steps the recipe has before its dedupe. */
  const keyCheck = async (file: string, p: FileProfile, key: string[]): Promise<KeyCheck> => {
    const recipe = Pipeline.parse(
      recipeFromProfile(pipelineName(file), sourcePath(svc.dataDir(), file), p, null),
    );
    const { encoding, delimiter, header } = recipe.source;
    const r = await svc
      .workers()
      .checkKey({ path: file, settings: { encoding, delimiter, header }, steps: recipe.steps, key })
      .catch((e: unknown) => {
        throw e instanceof ProfileFailed ? new ApiFailure('bad_request', e.message) : e;
      });
    return {
      key: r.key,
      rows: r.rows,
      duplicate_rows: r.duplicateRows,
      duplicate_keys: r.duplicateKeys,
      example: r.example,
    };
  };

  return {
    'imports.inspect': async ({ path, rows, key: asked, ...settings }) => {
      const file = svc.fileOf(path);
      const p = await svc.profiles.get(file, settingsOf(settings), rows);
      const name = pipelineName(file);
      const key = asked ? [...new Set(asked)] : undefined;
      checkKeyColumns(p, key);
      return {
        path: sourcePath(svc.dataDir(), file),
        name,
        exists: svc.project.pipelines.some((x) => x.pipeline.name === name),
        encoding: p.source.encoding,
        encoding_reason: p.source.encodingReason,
        delimiter: p.source.delimiter,
        header: p.source.header,
        rows: p.rows,
        rejected_lines: p.rejects.length,
        suggested_key: p.suggestedKey,
        columns: p.columns.map(apiColumnProfile),
        sample: {
          columns: p.columns.map((c) => ({ name: c.name, type: c.guess.type })),
          // A kept profile may hold more of the first rows than asked for.
          rows: p.sample.rows.slice(0, rows),
          lines: p.sample.lines.slice(0, rows),
          total: p.rows,
        },
        yaml: recipeText(name, sourcePath(svc.dataDir(), file), p, key ?? p.suggestedKey),
        key_check: key ? await keyCheck(file, p, key) : null,
      };
    },

    'imports.create': async ({ path, name: asked, key, replace, ...settings }) => {
      const file = svc.fileOf(path);
      const name = asked ?? pipelineName(file);
      await svc.reload();
      const existing = svc.project.pipelines.find((x) => x.pipeline.name === name);
      const target = join(svc.project.dir, 'pipelines', `${name}.yaml`);
      if ((existing || existsSync(target)) && !replace)
        throw new ApiFailure(
          'conflict',
          `the project has a pipeline "${name}" already; choose another name or send replace=true`,
        );
      const p = await svc.profiles.get(file, settingsOf(settings));
      checkKeyColumns(p, key);
      const yaml = recipeText(
        name,
        sourcePath(svc.dataDir(), file),
        p,
        key === undefined ? p.suggestedKey : key,
      );
      const recipeFile = existing ? resolve(svc.project.dir, existing.file) : target;
      mkdirSync(join(svc.project.dir, 'pipelines'), { recursive: true });
      // The desktop app's user picked this file: its recipe may read the folder it is in.
      if (svc.opts.localFiles)
        try {
          readablePath(svc.paths(), file);
        } catch (e) {
          if (!(e instanceof PathRefused)) throw e;
          allowFolders(svc.project.dir, [dirname(file)]);
        }
      writeFileAtomic(recipeFile, yaml);
      await svc.reload();
      const made = svc.project.pipelines.find((x) => x.pipeline.name === name);
      return { name, file: made?.file ?? relative(svc.project.dir, recipeFile), yaml };
    },
  };
}
