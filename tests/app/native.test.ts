/**
 * useElectronSqlite, the first thing the app's main process calls: in development it points
 * better-sqlite3 at the Electron build npm run app:prepare made, or says to run that command.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ELECTRON_NATIVE_DIR,
  ELECTRON_NATIVE_STAMP,
  ELECTRON_SQLITE_FILE,
  useElectronSqlite,
} from '../../src-main/app/native';
import { SQLITE_BINDING_ENV } from '../../src-main/sqlite/binding';
import { tempDir } from '../helpers/tmp';

/** A project root with .electron-native/ holding an addon stamped for `electron`, if given. */
function appPath(electron?: string): { root: string; addon: string } {
  const root = tempDir();
  const dir = join(root, ELECTRON_NATIVE_DIR);
  const addon = join(dir, ELECTRON_SQLITE_FILE);
  if (electron) {
    mkdirSync(dir);
    writeFileSync(addon, 'addon');
    writeFileSync(join(dir, ELECTRON_NATIVE_STAMP), JSON.stringify({ electron }));
  }
  return { root, addon };
}

afterEach(() => {
  delete process.env[SQLITE_BINDING_ENV];
});

describe('useElectronSqlite', () => {
  it('packaged: the Electron build shipped beside app.asar, whatever the shell set', () => {
    process.env[SQLITE_BINDING_ENV] = '/somewhere/else/better_sqlite3.node';
    const { root } = appPath();
    const asar = join(root, 'resources', 'app.asar');
    useElectronSqlite({ isPackaged: true, appPath: asar, electronVersion: '45.5.0' });
    expect(process.env[SQLITE_BINDING_ENV]).toBe(
      join(root, 'resources', 'native', 'better_sqlite3.node'),
    );
  });

  it('development: points every database, workers included, at .electron-native/', () => {
    const { root, addon } = appPath('45.5.0');
    useElectronSqlite({ isPackaged: false, appPath: root, electronVersion: '45.5.0' });
    expect(process.env[SQLITE_BINDING_ENV]).toBe(addon);
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
