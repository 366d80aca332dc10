/**
 * The API's import methods: a file streamed into the data folder (a browser's drop), what
 * inference finds in a CSV file, and a new pipeline written from it.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../../io/atomic-write';
import { PathRefused, readablePath, writablePath } from '../../io/confine';
import { allowFolders } from '../allow-paths';
import type { SourceSettings } from '../../../src-shared/recipe/pipeline';
import { ApiFailure, type Handlers, type SluiceService } from '../api-service';
import { pipelineName, recipeText } from '../import';
import { apiColumnProfile } from '../profile';

type Overrides = Pick<Partial<SourceSettings>, 'encoding' | 'delimiter' | 'header'>;

/** Only the settings the user chose; the rest stay "auto". */
function settingsOf(o: Overrides): Overrides {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function importHandlers(
  svc: SluiceService,
): Pick<Handlers, 'files.upload' | 'imports.inspect' | 'imports.create'> {
  /** How a recipe names the file: relative to the data folder when inside it. */
  const sourcePath = (file: string): string => {
    const rel = relative(svc.dataDir(), file);
    return rel.startsWith('..') || rel.startsWith(sep) ? file : rel.split(sep).join('/');
  };

  return {
    'files.upload': async ({ name, replace }, body) => {
      if (!body)
        throw new ApiFailure(
          'bad_request',
          'files.upload takes the file as the request body (HTTP PUT); the desktop app imports files by their path',
        );
      const dir = svc.dataDir();
      mkdirSync(dir, { recursive: true });
      const target = join(dir, name);
      try {
        writablePath(svc.paths(), target, 'the file');
      } catch (e) {
        if (e instanceof PathRefused) throw new ApiFailure('bad_request', e.message);
        throw e;
      }
      if (existsSync(target) && !replace)
        throw new ApiFailure(
          'conflict',
          `${name} is already in the data folder (${dir}); send replace=true to replace it`,
        );
      // Written beside the target and renamed at the end: a broken upload leaves nothing.
      const part = join(dir, `.${name}.${randomUUID()}.part`);
      let bytes = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, count, createWriteStream(part, { flags: 'wx' }));
        if (bytes === 0) throw new ApiFailure('bad_request', `${name}: the file sent is empty`);
        renameSync(part, target);
      } catch (e) {
        rmSync(part, { force: true });
        throw e;
      }
      return { path: sourcePath(target), bytes };
    },

    'imports.inspect': async ({ path, rows, ...settings }) => {
      const file = svc.fileOf(path);
      const p = await svc.profiles.get(file, settingsOf(settings), rows);
      const name = pipelineName(file);
      return {
        path: sourcePath(file),
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
          rows: p.sample.rows,
          lines: p.sample.lines,
          total: p.rows,
        },
        yaml: recipeText(name, sourcePath(file), p),
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
      const names = new Set(p.columns.map((c) => c.name));
      const unknown = (key ?? []).filter((k) => !names.has(k));
      if (unknown.length)
        throw new ApiFailure(
          'bad_request',
          `the key names columns the file does not have: ${unknown.join(', ')} (it has ${[...names].join(', ')})`,
        );
      const yaml = recipeText(name, sourcePath(file), p, key === undefined ? p.suggestedKey : key);
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
