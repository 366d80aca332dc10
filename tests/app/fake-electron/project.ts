/** A small real project on disk for the shell tests: one pipeline over one CSV. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './launch';

/** The URL our built renderer has in the window: the only trusted sender. */
export const RENDERER_URL = pathToFileURL(join(ROOT, 'out', 'renderer', 'index.html')).href;

export function makeProject(dir: string, name: string): string {
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  writeFileSync(join(dir, 'sluice.yaml'), `name: ${name}\n`);
  writeFileSync(join(dir, 'a.csv'), 'id,name\n1, Ann \n2, Bob \n3, Cy \n');
  writeFileSync(
    join(dir, 'pipelines', 'a.yaml'),
    'name: a\nsource: {path: a.csv}\nsteps:\n  - step: trim\n',
  );
  return dir;
}
