/** Throwaway project folders for tests: sluice.yaml, a small CSV and the given pipelines. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp';

/**
 * A project named `name` with its run store inside (store.db), `small.csv` holding `smallCsv`,
 * and one pipeline file per entry (YAML bodies without the `name:` line).
 */
export function makeProject(
  pipelines: Record<string, string>,
  opts: { name: string; settings?: string; smallCsv: string },
): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(
    join(dir, 'sluice.yaml'),
    `name: ${opts.name}\nstore: store.db\n${opts.settings ?? ''}`,
  );
  writeFileSync(join(dir, 'small.csv'), opts.smallCsv);
  for (const [name, body] of Object.entries(pipelines))
    writeFileSync(join(dir, 'pipelines', `${name}.yaml`), `name: ${name}\n${body}`);
  return dir;
}
