/**
 * A run sent to a saved connection records it (runs.target in the real SQLite run store), and
 * what comes after it loads there again, with the connection's password looked up through the
 * keychain: resuming the run, and retrying the rows the database refused. DATABASE_URL points
 * nowhere here, so a load that fell back to the default connection would fail.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiResult, MethodName, Params, Result } from '../../src-shared/api/contract';
import { SluiceService } from '../../src-main/service/api-service';
import { CredentialStore, type Cipher } from '../../src-main/store/credentials';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import { DATABASE_URL, query } from '../helpers/pg';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

const home = tempDir();
process.env.SLUICE_HOME = home;
const pgUrl = new URL(DATABASE_URL);
const LOCAL = {
  host: pgUrl.hostname,
  port: Number(pgUrl.port || 5432),
  database: pgUrl.pathname.slice(1),
  user: decodeURIComponent(pgUrl.username),
};
// Set after helpers/pg read the real one: only the saved connection "wh" leads to a server.
process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/nowhere';

const FIRST = `tgt_first_${process.pid}`;
const LATE = `tgt_late_${process.pid}`;
const CHECKED = `tgt_checked_${process.pid}`;

const cipher: Cipher = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from(plain).reverse(),
  decryptString: (b) => Buffer.from(b).reverse().toString(),
};

/** The desktop app's keychain, telling which connections' passwords were asked for. */
class Keychain extends CredentialStore {
  asked: string[] = [];
  override get(connection: string): string | undefined {
    this.asked.push(connection);
    return super.get(connection);
  }
}

afterAll(async () => {
  await query(`DROP TABLE IF EXISTS sluice."${FIRST}", sluice."${LATE}", sluice."${CHECKED}"`);
});

describe('a run sent to a saved connection', () => {
  it('records it; a resume and a retry load there again, with the kept password', async () => {
    const dir = makeProject(
      {
        first: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: sqlite, table: ${FIRST}, mode: full}\n`,
        late: `source: {path: late.csv}\nsteps: []\noutputs:\n  - {kind: sqlite, table: ${LATE}, mode: full}\n`,
        checked: `source: {path: small.csv}\nsteps: []\noutputs:\n  - {kind: sqlite, table: ${CHECKED}, key: [id], mode: append, on_violation: skip}\n`,
      },
      { name: 'tgt', smallCsv: 'id,v\n1,10\n2,20\n3,30\n' },
    );
    await query('CREATE SCHEMA IF NOT EXISTS sluice');
    await query(
      `CREATE TABLE sluice."${CHECKED}" (id bigint PRIMARY KEY, v bigint CONSTRAINT small_v CHECK (v < 25))`,
    );
    const keychain = new Keychain(cipher, join(home, 'credentials.json'));
    const svc = await SluiceService.open(dir, { keychain, manageConnections: true });
    const dispatch = createDispatcher(svc.handlers);
    const call = async <M extends MethodName>(m: M, p: Params<M>): Promise<Result<M>> => {
      const r = (await dispatch(m, p)) as ApiResult<Result<M>>;
      if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
      return r.value;
    };
    const finished = async (runId: string) => {
      await svc.idle();
      return call('runs.get', { run_id: runId });
    };
    const count = async (table: string) =>
      Number((await query<{ n: string }>(`SELECT count(*) AS n FROM sluice."${table}"`))[0].n);
    try {
      await call('connections.save', { name: 'wh', ...LOCAL, password: 'kept-pw' });

      // late.csv is not there yet: that pipeline fails, the others load into "wh".
      const { run_id: first } = await call('runs.start', { connection: 'wh' });
      const ran = await finished(first);
      expect(ran.run).toMatchObject({ status: 'failed', target: 'postgres:wh' });
      expect(keychain.asked).toContain('wh');
      expect([await count(FIRST), await count(CHECKED)]).toEqual([3, 2]);

      // Resumed without a target, it loads where the run it resumes did.
      writeFileSync(join(dir, 'late.csv'), 'id\n7\n8\n');
      keychain.asked = [];
      const { run_id: again } = await call('runs.resume', { run_id: first });
      const resumed = await finished(again);
      expect(resumed.run).toMatchObject({ status: 'succeeded', target: 'postgres:wh' });
      expect(keychain.asked).toContain('wh');
      expect(await count(LATE)).toBe(2);
      const lite = join(dir, 'out', 'tgt.sqlite');
      if (existsSync(lite)) {
        const db = new Database(lite, { readonly: true });
        const tables = db.prepare(`SELECT name FROM sqlite_master WHERE name = ?`).all(LATE);
        db.close();
        expect(tables).toEqual([]);
      }
      const logs = await call('logs.get', { run_id: again });
      expect(logs.items.map((l) => l.message).join('\n')).toContain(
        'database outputs load into PostgreSQL connection wh',
      );

      // The row the check refused loads into "wh" once the check is gone.
      await query(`ALTER TABLE sluice."${CHECKED}" DROP CONSTRAINT small_v`);
      keychain.asked = [];
      const retried = await call('rejects.retry', { run_id: first });
      expect(retried.results).toEqual([
        { pipeline: 'checked', step: `load ${CHECKED}`, retried: 1, loaded: 1, still_refused: 0 },
      ]);
      expect(keychain.asked).toEqual(['wh']);
      expect(await count(CHECKED)).toBe(3);
    } finally {
      await svc.close();
    }
  });
});
