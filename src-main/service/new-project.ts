/** A new, empty project: sluice.yaml, a pipelines folder, and a data folder for imported files. */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write';

export function createProject(dir: string): void {
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const name = basename(dir).replace(/[^\w.-]+/g, '_') || 'project';
  writeFileAtomic(
    join(dir, 'sluice.yaml'),
    `name: ${name}\n# CSV files dropped on the window go to this folder.\ndata: data\n`,
  );
}
