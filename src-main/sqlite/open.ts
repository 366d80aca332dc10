/**
 * The one door to better-sqlite3: every database the store and the sinks open goes through
 * openSqlite, so the app's Electron build of the addon (binding.ts) applies to all of them,
 * in the main thread and in the pipeline workers alike. Lint keeps better-sqlite3 out of the
 * other folders.
 */
import Database from 'better-sqlite3';
import { sqliteBinding } from './binding';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;
export type SqliteOptions = Omit<Database.Options, 'nativeBinding'>;

/** Opens (or creates) the SQLite database at `path` with this process's addon build. */
export function openSqlite(path: string, options: SqliteOptions = {}): SqliteDatabase {
  const nativeBinding = sqliteBinding();
  return new Database(path, nativeBinding ? { ...options, nativeBinding } : options);
}
