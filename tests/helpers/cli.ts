/** Runs the real `sluice` command in a child process. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const SLUICE = join(__dirname, '..', '..', 'src-main', 'cli', 'sluice.mjs');

export function sluice(
  args: string[],
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SLUICE, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
