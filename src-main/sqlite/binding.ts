/**
 * Which build of better-sqlite3's native addon this process loads. Node (the CLI, the tests)
 * uses the one in node_modules; the Electron app in development needs one built for
 * Electron's ABI (npm run app:prepare), named by an environment variable so the pipeline
 * worker threads, which copy the main thread's environment when they start, load it too.
 */
import { existsSync } from 'node:fs';

/** The environment variable holding the path of the addon to load, when not node_modules' own. */
export const SQLITE_BINDING_ENV = 'SLUICE_SQLITE_BINDING';
/** The command that builds better-sqlite3 for Electron into .electron-native/. */
export const PREPARE_COMMAND = 'npm run app:prepare';

export class SqliteBindingError extends Error {}

/** The last path found to exist: a store or sink opens many times, the file is checked once. */
let checked: string | undefined;

/**
 * The addon path set for this process, or undefined for better-sqlite3's own build. Throws a
 * SqliteBindingError naming the file and the command to run when the path does not exist, since
 * better-sqlite3 itself would only say "Cannot find module".
 */
export function sqliteBinding(): string | undefined {
  const file = process.env[SQLITE_BINDING_ENV];
  if (!file || file === checked) return file || undefined;
  if (!existsSync(file))
    throw new SqliteBindingError(
      `better-sqlite3 built for Electron is missing: ${file} (${SQLITE_BINDING_ENV}) does not exist; run ${PREPARE_COMMAND}`,
    );
  checked = file;
  return file;
}
