/**
 * The user's saved PostgreSQL connections: connections.json in Sluice's data folder, beside
 * (never inside) any project, without passwords. Runs merge them with sluice.yaml's.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  connectionUrl,
  SavedConnectionsFile,
  type ConnectionDetails,
} from '../../src-shared/connections';
import { bareRecord } from '../../src-shared/recipe/bare-record';
import { dataHome } from './data-home';

export class SavedConnectionsError extends Error {}

/** connections.json in the data folder (SLUICE_HOME when set). */
export function savedConnectionsPath(): string {
  return join(dataHome(), 'connections.json');
}

/** The saved connections by name (none when the file does not exist yet). */
export function readSavedConnections(
  path = savedConnectionsPath(),
): Record<string, ConnectionDetails> {
  if (!existsSync(path)) return bareRecord();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SavedConnectionsError(`${path} is not readable JSON: ${(e as Error).message}`);
  }
  const r = SavedConnectionsFile.safeParse(parsed);
  if (!r.success)
    throw new SavedConnectionsError(
      `${path} is not a file of saved connections: ${r.error.issues[0]?.message ?? 'invalid'}`,
    );
  return bareRecord(Object.entries(r.data.connections));
}

/**
 * Replaces the saved connections, atomically (a reader never sees half a file); a failure
 * leaves the old file and says where.
 */
export function writeSavedConnections(
  all: Record<string, ConnectionDetails>,
  path = savedConnectionsPath(),
): void {
  const file: SavedConnectionsFile = {
    version: 1,
    connections: Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b))),
  };
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Not a file of ours (a folder in its way): nothing of ours to remove.
    }
    throw new SavedConnectionsError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/**
 * The connections a run of a project sees: sluice.yaml's, and the saved ones. On a name clash
 * the saved connection wins: it is this user's choice on this computer (as SLUICE_PASSWORD_<NAME>
 * is), and a project someone else wrote cannot point a saved name, and the password kept for
 * it, at a server of its choosing.
 */
export function runConnections(
  project: Record<string, { url: string }>,
  saved: Record<string, ConnectionDetails> = readSavedConnections(),
): Record<string, { url: string }> {
  const all = bareRecord<{ url: string }>(Object.entries(project));
  for (const [name, c] of Object.entries(saved)) all[name] = { url: connectionUrl(c) };
  return all;
}
