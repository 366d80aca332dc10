/**
 * npm start and npm run dev where the Electron binary is missing (as on a machine that could not
 * download it): one line saying so and how to get it, a non-zero exit, no stack trace, and no
 * build or download attempted.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snippet } from '../helpers/docs';
import { NPM, ROOT, ownLines, run } from '../helpers/run';
import { tempDir } from '../helpers/tmp';

const ELECTRON = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;
/** Electron's executable in its dist folder (node_modules/electron/install.js). */
const EXECUTABLES: Record<string, string> = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};
const EXECUTABLE = EXECUTABLES[process.platform] ?? 'electron';
const missing = (exe: string): string =>
  `sluice: the Electron ${ELECTRON} binary is missing (no ${exe}): on a machine with internet run \`npm run app:prepare\` (or \`node node_modules/electron/install.js\`), or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${ELECTRON}.`;

/** An Electron dist folder without the binary, wherever this test runs. */
const noElectron = (): Record<string, string | undefined> => ({
  ELECTRON_OVERRIDE_DIST_PATH: tempDir(),
  ELECTRON_EXEC_PATH: undefined,
});

const outTime = (): number | undefined => {
  try {
    return statSync(join(ROOT, 'out', 'main', 'index.js')).mtimeMs;
  } catch {
    return undefined;
  }
};

describe('npm start without the Electron binary', () => {
  it.each([
    ['start', ['start']],
    ['dev', ['run', 'dev']],
  ])('npm %s: one line naming the missing binary and how to get it, exit 1', async (_, args) => {
    const env = noElectron();
    const built = outTime();
    const r = await run(NPM, args, env);
    expect(r.code).toBe(1);
    expect(ownLines(r.stdout)).toEqual([]);
    const lines = ownLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(missing(join(env.ELECTRON_OVERRIDE_DIST_PATH!, EXECUTABLE)));
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // It stopped before electron-vite: nothing was built.
    expect(outTime()).toBe(built);
  });

  it('ELECTRON_EXEC_PATH naming no file: the same one line, exit 1', async () => {
    const exe = join(tempDir(), 'electron');
    const r = await run(process.execPath, ['scripts/start.mjs'], {
      ELECTRON_EXEC_PATH: exe,
      ELECTRON_OVERRIDE_DIST_PATH: undefined,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${missing(exe)}\n`);
  });
});

describe('docs/desktop.md, Develop the app', () => {
  it('quotes the line npm start prints without the binary', () => {
    expect(snippet('desktop-start-missing')).toBe(
      `$ npm start\n${missing('node_modules/electron/dist/electron')}\n`,
    );
  });

  it('names commands that are the scripts doing what it says', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const commands = snippet('desktop-develop')
      .trim()
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['npm run app:prepare', 'npm start', 'npm run dev']);
    expect(scripts['app:prepare']).toBe('node scripts/prepare-app.mjs');
    expect(scripts.start).toBe('node scripts/start.mjs');
    expect(scripts.dev).toBe('node scripts/start.mjs --dev');
    expect(scripts.postinstall).toBe('node scripts/prepare-app.mjs --if-possible');
  });
});
