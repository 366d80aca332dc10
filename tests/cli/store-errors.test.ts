/**
 * A run store this Sluice cannot open is the user's to sort out, not a crash: every command
 * that needs it says which file, why, and what to do, with exit code 2 and no stack trace.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/store/migrations';
import { sluice } from '../helpers/cli';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

describe('a run store from a newer Sluice', () => {
  const store = join(tempDir(), 'newer.db');
  const db = new Database(store);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  const project = makeProject(
    { p: 'source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: csv, path: out/p.csv}\n' },
    { name: 'newer', smallCsv: 'id\n1\n' },
  );

  it.each([
    ['runs', ['runs', '--store', store]],
    ['run', ['run', project, '--store', store]],
    ['logs', ['logs', 'run_x', '--store', store]],
  ])('sluice %s names the file, why and what to do', (_, args) => {
    const r = sluice(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot open the run store ${store}`);
    expect(r.stderr).toContain(`newer than this Sluice (${MIGRATIONS.length})`);
    expect(r.stderr).toContain('--store FILE, or SLUICE_HOME=DIR');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
