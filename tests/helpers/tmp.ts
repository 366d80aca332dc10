/** Temporary folders for tests that need real files. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * A folder removed when the test that made it ends, or, made outside a test (at the top of a
 * file, in beforeAll), when the file's tests end. (An afterAll registered inside a running test
 * never runs: that is how tests used to leave their data in /tmp.)
 */
export function tempDir(prefix = 'sluice-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove);
  }
  return dir;
}

export const SHARED = join(__dirname, '..', '..', '..', 'shared', 'datasets', 'global-electronics');
