/**
 * scripts/package.mjs ships better-sqlite3 built on this machine for Electron, so it refuses,
 * before building anything, to package for another OS or architecture.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/docs';

const other = { linux: '--win', win32: '--mac', darwin: '--linux' }[process.platform as string]!;
const otherArch = process.arch === 'arm64' ? '--x64' : '--arm64';

describe('npm run package for another system', () => {
  it.each([other, otherArch])(
    '%s: one line saying the addon must be built there, exit 1',
    (flag) => {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), flag], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        `sluice: packaging builds for this ${process.platform}-${process.arch} only (better-sqlite3 is built here for Electron); ${flag} needs a build on that system.`,
      ]);
    },
  );
});
