/**
 * better-sqlite3 for Electron. node_modules holds a build for Node's ABI (the CLI and the tests
 * use it); Electron loads only addons built for its own, so the app in development loads the
 * one `npm run app:prepare` built into .electron-native/. A packaged app carries that same build
 * as resources/native/better_sqlite3.node, beside app.asar (electron-builder.yml), and no Node
 * build at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  PREPARE_COMMAND,
  SQLITE_BINDING_ENV,
  SQLITE_PACKAGED_ENV,
  sqliteBinding,
} from '../sqlite/binding';

/** The folder of the Electron build, at the project root (gitignored). */
export const ELECTRON_NATIVE_DIR = '.electron-native';
/** The addon inside it, and the record of what it was built for (scripts/prepare-app.mjs). */
export const ELECTRON_SQLITE_FILE = 'better_sqlite3.node';
export const ELECTRON_NATIVE_STAMP = 'build.json';
/** Where electron-builder.yml puts the Electron build in the packaged app, under resources/. */
export const PACKAGED_SQLITE_ADDON = 'native/better_sqlite3.node';

export interface ElectronSqliteOptions {
  /** app.isPackaged */
  isPackaged: boolean;
  /** app.getAppPath(): the project root under electron-vite dev and preview, app.asar packaged. */
  appPath: string;
  /** The running Electron's version, to refuse a build made for another one. */
  electronVersion?: string;
}

/**
 * Points every SQLite database this process and its worker threads open at the Electron build
 * of better-sqlite3, and loads it. The main process calls it first thing, before the store
 * opens; it throws an Error whose message is for a dialog: in development, to run
 * `npm run app:prepare` when the build is missing, was made for another Electron or does not
 * load; packaged, that the installation is damaged and to reinstall Sluice.
 *
 * @example useElectronSqlite({ isPackaged: app.isPackaged, appPath: app.getAppPath() });
 */
export function useElectronSqlite(options: ElectronSqliteOptions): void {
  // Always set, so a variable inherited from a developer's shell cannot swap the build. The app
  // path is resources/app.asar; the addon sits beside the archive.
  if (options.isPackaged) {
    process.env[SQLITE_PACKAGED_ENV] = '1';
    process.env[SQLITE_BINDING_ENV] = join(dirname(options.appPath), PACKAGED_SQLITE_ADDON);
    sqliteBinding();
    return;
  }
  delete process.env[SQLITE_PACKAGED_ENV];
  const dir = join(options.appPath, ELECTRON_NATIVE_DIR);
  const file = join(dir, ELECTRON_SQLITE_FILE);
  if (!existsSync(file))
    throw new Error(
      `Sluice needs better-sqlite3 built for Electron, and ${file} does not exist. Run ${PREPARE_COMMAND} in ${options.appPath}, then start Sluice again.`,
    );
  const builtFor = stampedElectron(join(dir, ELECTRON_NATIVE_STAMP));
  const running = options.electronVersion ?? process.versions.electron;
  if (running && builtFor !== running)
    throw new Error(
      `${file} was built for Electron ${builtFor ?? 'an unknown version'}, but this is Electron ${running}. Run ${PREPARE_COMMAND} in ${options.appPath}, then start Sluice again.`,
    );
  process.env[SQLITE_BINDING_ENV] = file;
  sqliteBinding();
}

/** The Electron version the stamp records, or undefined when it is missing or unreadable. */
function stampedElectron(stamp: string): string | undefined {
  try {
    const v = (JSON.parse(readFileSync(stamp, 'utf8')) as { electron?: unknown }).electron;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
