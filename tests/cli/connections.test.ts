/**
 * sluice connections in words (its --json twins are in api-parity.test.ts), and sluice run
 * --connection loading into a saved connection on this machine's PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sluiceIn } from '../helpers/cli';
import { DATABASE_URL, query } from '../helpers/pg';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

const home = tempDir();
const env = { SLUICE_HOME: home };
const pg = new URL(DATABASE_URL);
const FLAGS = [
  '--host',
  pg.hostname,
  '--port',
  pg.port || '5432',
  '--database',
  pg.pathname.slice(1),
  '--user',
  decodeURIComponent(pg.username),
];
const TABLE = `cli_conn_${process.pid}`;

afterAll(async () => {
  await query(`drop table if exists sluice."${TABLE}"`);
});

describe('sluice connections', () => {
  it('add names what it needs, saves without a password and says where one comes from', async () => {
    const missing = await sluiceIn(['connections', 'add', 'wh', '--host', 'h'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('needs --database, --user');
    const r = await sluiceIn(['connections', 'add', 'wh', ...FLAGS], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('runs take it from SLUICE_PASSWORD_WH, else PGPASSWORD');
    expect(readFileSync(join(home, 'connections.json'), 'utf8')).not.toMatch(/password/i);
    const again = await sluiceIn(['connections', 'add', 'wh', ...FLAGS], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is saved already');
    const list = await sluiceIn(['connections'], env);
    expect(list.stdout).toMatch(new RegExp(`^wh +${pg.hostname.replace(/\./g, '\\.')}:\\d+ `, 'm'));
    expect(list.stdout).toMatch(/ none\s*$/m);
  });

  it('test prints the server version, or the reason and exit 1', async () => {
    const ok = await sluiceIn(['connections', 'test', 'wh'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/: PostgreSQL \d+/);
    const closed = await sluiceIn(['connections', 'test', 'wh', '--port', '1'], env);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain(`nothing is listening at ${pg.hostname}:1`);
    const none = await sluiceIn(['connections', 'test', 'nosuch'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('there is no saved connection named "nosuch"');
  });

  it('sluice run --connection sends the SQLite loads to the saved connection', async () => {
    const dir = makeProject(
      {
        lite: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: sqlite, table: ${TABLE}, mode: full}\n`,
      },
      { name: 'cli-conn', smallCsv: 'id\n1\n2\n' },
    );
    const r = await sluiceIn(['run', dir, '--connection', 'wh'], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = await query<{ n: string }>(`select count(*) as n from sluice."${TABLE}"`);
    expect(Number(rows[0].n)).toBe(2);
    const bad = await sluiceIn(['run', dir, '--target', 'sqlite', '--connection', 'wh'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not with target sqlite');
  });

  it('names with spaces and % read back as given, not URL-encoded', async () => {
    const odd = ['--host', 'db.example', '--database', 'sales 100%', '--user', 'ann smith'];
    const r = await sluiceIn(['connections', 'add', 'odd', ...odd, '--sslmode', 'require'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'saved odd: ann smith@db.example:5432/sales 100% (sslmode require)\n',
    );
    const list = await sluiceIn(['connections'], env);
    expect(list.stdout).toMatch(/^odd +db\.example:5432 +sales 100% +ann smith +none/m);
    expect((await sluiceIn(['connections', 'remove', 'odd'], env)).code).toBe(0);
  });

  it('remove forgets it; a second remove says there is none', async () => {
    const r = await sluiceIn(['connections', 'remove', 'wh'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('removed wh\n');
    const again = await sluiceIn(['connections', 'remove', 'wh'], env);
    expect(again.code).toBe(2);
    expect((await sluiceIn(['connections'], env)).stdout).toContain('no saved connections');
  });
});
