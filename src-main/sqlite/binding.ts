/**
 * Which build of better-sqlite3's native addon this process loads. Node (the CLI, the tests)
 * uses the one in node_modules; the Electron app needs one built for Electron's ABI (in
 * development made by npm run app:prepare, packaged shipped beside app.asar), named by an
 * environment variable so the pipeline worker threads, which copy the main thread's environment
 * when they start, load it too. A second variable says the app is packaged: then a missing or
 * broken addon is a damaged installation to reinstall, not a build for a developer to make.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The environment variable holding the path of the addon to load, when not node_modules' own. */
export const SQLITE_BINDING_ENV = 'SLUICE_SQLITE_BINDING';
/** Set to 1 by the packaged app (app/native.ts). */
export const SQLITE_PACKAGED_ENV = 'SLUICE_SQLITE_PACKAGED';
/** The command that builds better-sqlite3 for Electron into .electron-native/. */
export const PREPARE_COMMAND = 'npm run app:prepare';

export class SqliteBindingError extends Error {}

/** The last path found to load: a store or sink opens many times, the file is loaded once. */
let checked: string | undefined;

/**
 * The addon path set for this process, or undefined for better-sqlite3's own build. Loads the
 * addon once (better-sqlite3 then finds it loaded: Node keeps addons by path) and throws a
 * SqliteBindingError naming the file and what to do when it is missing or does not load, since
 * better-sqlite3 itself would only say "Cannot find module".
 */
export function sqliteBinding(): string | undefined {
  const file = process.env[SQLITE_BINDING_ENV];
  if (!file || file === checked) return file || undefined;
  const packaged = process.env[SQLITE_PACKAGED_ENV] === '1';
  if (!existsSync(file))
    throw new SqliteBindingError(
      packaged
        ? damaged(`${file} is missing`)
        : `better-sqlite3 built for Electron is missing: ${file} (${SQLITE_BINDING_ENV}) does not exist; run ${PREPARE_COMMAND}`,
    );
  try {
    createRequire(import.meta.url)(file);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new SqliteBindingError(
      packaged
        ? damaged(`${file} does not load (${why})`)
        : `better-sqlite3 built for Electron does not load from ${file} (${SQLITE_BINDING_ENV}): ${why}; run ${PREPARE_COMMAND} -- --force`,
    );
  }
  checked = file;
  return file;
}

const damaged = (what: string): string =>
  `Sluice's installation is damaged: ${what}. Reinstall Sluice.`;
