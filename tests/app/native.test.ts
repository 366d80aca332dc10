/**
 * useElectronSqlite, the first thing the app's main process calls: in development it points
 * better-sqlite3 at the Electron build npm run app:prepare made, or says to run that command;
 * packaged, at the build beside app.asar, or says the installation is damaged. A copy of Node's
 * build stands in for Electron's: it loads here.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ELECTRON_NATIVE_DIR,
  ELECTRON_NATIVE_STAMP,
  ELECTRON_SQLITE_FILE,
  useElectronSqlite,
} from '../../src-main/app/native';
import { SQLITE_BINDING_ENV, SQLITE_PACKAGED_ENV } from '../../src-main/sqlite/binding';
import { tempDir } from '../helpers/tmp';

const NODE_BUILD = join(
  createRequire(import.meta.url).resolve('better-sqlite3/package.json'),
  '..',
  'build/Release/better_sqlite3.node',
);

/** A project root with .electron-native/ holding an addon stamped for `electron`, if given. */
function appPath(electron?: string): { root: string; addon: string } {
  const root = tempDir();
  const dir = join(root, ELECTRON_NATIVE_DIR);
  const addon = join(dir, ELECTRON_SQLITE_FILE);
  if (electron) {
    mkdirSync(dir);
    copyFileSync(NODE_BUILD, addon);
    writeFileSync(join(dir, ELECTRON_NATIVE_STAMP), JSON.stringify({ electron }));
  }
  return { root, addon };
}

afterEach(() => {
  delete process.env[SQLITE_BINDING_ENV];
  delete process.env[SQLITE_PACKAGED_ENV];
});

describe('useElectronSqlite', () => {
  it('packaged: the Electron build shipped beside app.asar, whatever the shell set', () => {
    process.env[SQLITE_BINDING_ENV] = '/somewhere/else/better_sqlite3.node';
    const { root } = appPath();
    const addon = join(root, 'resources', 'native', 'better_sqlite3.node');
    mkdirSync(join(root, 'resources', 'native'), { recursive: true });
    copyFileSync(NODE_BUILD, addon);
    const asar = join(root, 'resources', 'app.asar');
    useElectronSqlite({ isPackaged: true, appPath: asar, electronVersion: '45.5.0' });
    expect(process.env[SQLITE_BINDING_ENV]).toBe(addon);
    // Told to the worker threads too: a broken build there is a damaged installation.
    expect(process.env[SQLITE_PACKAGED_ENV]).toBe('1');
  });

  it('packaged without the build: the installation is damaged, reinstall Sluice', () => {
    const { root } = appPath();
    const addon = join(root, 'resources', 'native', 'better_sqlite3.node');
    expect(() =>
      useElectronSqlite({ isPackaged: true, appPath: join(root, 'resources', 'app.asar') }),
    ).toThrow(`Sluice's installation is damaged: ${addon} is missing. Reinstall Sluice.`);
  });

  it('development: points every database, workers included, at .electron-native/', () => {
    const { root, addon } = appPath('45.5.0');
    process.env[SQLITE_PACKAGED_ENV] = '1'; // inherited from somewhere: not trusted
    useElectronSqlite({ isPackaged: false, appPath: root, electronVersion: '45.5.0' });
    expect(process.env[SQLITE_BINDING_ENV]).toBe(addon);
    expect(process.env[SQLITE_PACKAGED_ENV]).toBeUndefined();
  });

  it('development without the build: an error for the dialog naming the file and npm run app:prepare', () => {
    const { root, addon } = appPath();
    expect(() =>
      useElectronSqlite({ isPackaged: false, appPath: root, electronVersion: '45.5.0' }),
    ).toThrow(
      `Sluice needs better-sqlite3 built for Electron, and ${addon} does not exist. Run npm run app:prepare in ${root}, then start Sluice again.`,
    );
    expect(process.env[SQLITE_BINDING_ENV]).toBeUndefined();
  });

  it('development with a build for another Electron: says so, and to run npm run app:prepare', () => {
    const { root, addon } = appPath('44.0.0');
    expect(() =>
      useElectronSqlite({ isPackaged: false, appPath: root, electronVersion: '45.5.0' }),
    ).toThrow(
      `${addon} was built for Electron 44.0.0, but this is Electron 45.5.0. Run npm run app:prepare in ${root}, then start Sluice again.`,
    );
    expect(process.env[SQLITE_BINDING_ENV]).toBeUndefined();
  });
});
