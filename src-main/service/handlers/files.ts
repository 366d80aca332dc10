/** The API's file method: a file streamed into the data folder (a browser's drop). */
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PathRefused, writablePath } from '../../io/confine';
import type { Handlers, ProjectContext } from '../context';
import { ApiFailure } from '../errors';
import { sourcePath } from '../source-path';

export function fileHandlers(
  svc: Pick<ProjectContext, 'dataDir' | 'paths'>,
): Pick<Handlers, 'files.upload'> {
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
      return { path: sourcePath(svc.dataDir(), target), bytes };
    },
  };
}
