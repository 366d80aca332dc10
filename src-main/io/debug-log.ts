/**
 * Stack traces go to a debug log in Sluice's own folder, not to the run log: the run log is
 * served over the API, and a stack tells a caller more about this computer than it needs.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataHome } from './data-home';

export function debugLogPath(): string {
  return join(dataHome(), 'logs', 'debug.log');
}

/** Appends `e`'s stack with a time and where it happened; returns the log's path. */
export function debugLog(where: string, e: unknown): string {
  const path = debugLogPath();
  try {
    mkdirSync(join(dataHome(), 'logs'), { recursive: true });
    const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
    appendFileSync(path, `${new Date().toISOString()} ${where}\n${stack}\n\n`);
  } catch {
    // A debug log that cannot be written must not turn one failure into two.
  }
  return path;
}
