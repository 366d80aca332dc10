/**
 * npm run app:prepare and the postinstall that tries it: better-sqlite3 built for Electron into a
 * folder of its own, or, where that cannot be done (offline, as here: Electron's headers cannot
 * be downloaded), one line saying so in bounded time. Either way node_modules' Node build, which
 * the CLI and the tests load, is left exactly as it was.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NPM, ROOT, ownLines, run } from '../helpers/run';
import { tempDir } from '../helpers/tmp';

const NODE_BUILD = join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const ELECTRON = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const SQLITE = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const hash = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');

/** The Node build still loads and works under Node. */
async function nodeBuildLoads(): Promise<void> {
  const r = await run(process.execPath, [
    '-e',
    "const D = require('better-sqlite3'); console.log(new D(':memory:').prepare('select 41 + 1 as n').get().n)",
  ]);
  expect(r.stdout.trim()).toBe('42');
}

/** What a successful build leaves: the addon and the record of what it was built for. */
function expectBuilt(out: string): void {
  expect(existsSync(join(out, 'better_sqlite3.node'))).toBe(true);
  const stamp = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8')) as object;
  expect(stamp).toMatchObject({ electron: ELECTRON, platform: process.platform });
}

// Where the build can be made (online, with a compiler) the same tests see it made instead.
const BUILD_MS = 600_000;

describe('better-sqlite3 for Electron', () => {
  it(
    'postinstall where it cannot be built: one line saying so and what to run later, exit 0, quickly',
    async () => {
      const out = tempDir();
      const before = hash(NODE_BUILD);
      const r = await run(
        NPM,
        ['run', 'postinstall'],
        { SLUICE_ELECTRON_NATIVE_DIR: out },
        BUILD_MS,
      );
      expect(r.code).toBe(0);
      const lines = ownLines(r.output);
      if (lines[0]?.includes('was not built')) {
        expect(lines).toEqual([
          "sluice: better-sqlite3 was not built for Electron (Electron's headers cannot be downloaded); the CLI and tests are unaffected. Run `npm run app:prepare` on a machine that can, before `npm start`.",
        ]);
        // An offline machine learns it from one short probe, not from a build waiting on the network.
        expect(r.ms).toBeLessThan(30_000);
        expect(existsSync(join(out, 'better_sqlite3.node'))).toBe(false);
      } else {
        expect(lines.at(-1)).toBe(
          `sluice: better-sqlite3 for Electron ${ELECTRON} is ready in ${out}`,
        );
        expectBuilt(out);
      }
      expect(hash(NODE_BUILD)).toBe(before);
      await nodeBuildLoads();
    },
    BUILD_MS + 60_000,
  );

  it(
    'npm run app:prepare where nothing can be downloaded: says what and why, with the logs, exit 1; no addon',
    async () => {
      const out = tempDir();
      const before = hash(NODE_BUILD);
      const hadBinary = existsSync(join(ROOT, 'node_modules/electron/path.txt'));
      // A mirror that refuses connections: Electron's download fails here as it would offline.
      const env = {
        SLUICE_ELECTRON_NATIVE_DIR: out,
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        ELECTRON_OVERRIDE_DIST_PATH: undefined,
        ELECTRON_EXEC_PATH: undefined,
      };
      const r = await run(NPM, ['run', 'app:prepare'], env, BUILD_MS);
      const lines = ownLines(r.output);
      expect(r.code).toBe(1);
      if (!hadBinary) {
        const log = join(out, 'electron.log');
        expect(lines.slice(0, 2)).toEqual([
          `sluice: downloading the Electron ${ELECTRON} binary (log: ${log})`,
          `sluice: cannot download the Electron ${ELECTRON} binary (Electron's downloads cannot be reached); details in ${log}.`,
        ]);
        expect(existsSync(join(ROOT, 'node_modules/electron/path.txt'))).toBe(false);
        lines.splice(0, 2);
      }
      const log = join(out, 'prepare.log');
      expect(lines[0]).toBe(
        `sluice: building better-sqlite3 ${SQLITE} for Electron ${ELECTRON} (log: ${log})`,
      );
      if (lines[1]?.startsWith('sluice: cannot build')) {
        expect(lines.slice(1)).toEqual([
          `sluice: cannot build better-sqlite3 for Electron: Electron's headers cannot be downloaded; details in ${log}.`,
        ]);
        expect(readFileSync(log, 'utf8')).toMatch(/network/);
        expect(existsSync(join(out, 'better_sqlite3.node'))).toBe(false);
        expect(existsSync(join(out, 'work'))).toBe(false);
      } else {
        // A machine that can build it (a prebuilt addon, or headers and a compiler).
        expect(lines.slice(1)).toEqual([
          `sluice: better-sqlite3 for Electron ${ELECTRON} is ready in ${out}`,
        ]);
        expectBuilt(out);
      }
      expect(hash(NODE_BUILD)).toBe(before);
      await nodeBuildLoads();
    },
    BUILD_MS + 60_000,
  );

  it("a build against the wrong headers is caught by its ABI: Node's build is not Electron's", async () => {
    const { addonAbi, electronAbi } = (await import(
      pathToFileURL(join(ROOT, 'scripts/native-abi.mjs')).href
    )) as {
      addonAbi(file: string): string | undefined;
      electronAbi(dir: string): string | undefined;
    };
    expect(addonAbi(NODE_BUILD)).toBe(process.versions.modules);
    const electron = electronAbi(join(ROOT, 'node_modules/electron'));
    expect(electron).toBe(
      readFileSync(join(ROOT, 'node_modules/electron/abi_version'), 'utf8').trim(),
    );
    expect(electron).not.toBe(process.versions.modules);
  });
});
