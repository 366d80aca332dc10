/**
 * The curl examples of docs/api.md run as written against `sluice serve` on ports 8750 and 8751,
 * started as the same page says.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLUICE } from '../helpers/cli';
import { snippet } from '../helpers/docs';
import { SHARED, tempDir } from '../helpers/tmp';

/** Waits until a started `sluice serve` prints its address; returns what it printed. */
async function started(server: ChildProcess, timeoutMs: number): Promise<() => string> {
  let out = '';
  server.stdout!.on('data', (d) => (out += d));
  server.stderr!.on('data', (d) => (out += d));
  const t0 = Date.now();
  while (!out.includes('open:')) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return () => out;
}

describe('docs/api.md: the local API', () => {
  it('the curl examples work against sluice serve', { timeout: 180_000 }, async () => {
    const script = snippet('api-curl');
    expect(script).toContain('curl -s http://127.0.0.1:8750/health');
    // The server as the page starts it, on a copy of the project with a run store of its own.
    const serveArgs = snippet('api-serve').trim().split(/\s+/);
    expect(serveArgs.slice(0, 3)).toEqual(['npx', 'sluice', 'serve']);
    expect(serveArgs[3]).toBe('config/examples/global-electronics');
    const root = join(__dirname, '..', '..');
    const dir = tempDir();
    const example = join(__dirname, '..', '..', 'config', 'examples', 'global-electronics');
    cpSync(example, dir, { recursive: true });
    const env = { ...process.env, SLUICE_HOME: tempDir(), SLUICE_API_KEY: 'readme-key' };
    const server = spawn(
      process.execPath,
      [SLUICE, 'serve', dir, ...serveArgs.slice(4), '--store', join(dir, 'store.db')],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const out = await started(server, 60_000);
      expect(out()).toContain('http://127.0.0.1:8750/#key=readme-key');
      const work = tempDir();
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: work,
        env: { ...env, KEY: 'readme-key' },
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const lines = r.stdout.trim().split('\n');
      // health, project, the run, its logs, the runs, the metrics, the cancel: JSON each.
      expect(lines).toHaveLength(7);
      const [health, , run, logs, runs, metrics, cancel] = lines.map((l) => JSON.parse(l));
      expect(health).toMatchObject({ status: 'ok', project: 'global-electronics' });
      expect(run.run).toMatchObject({ status: 'succeeded', pipelines: ['stores'], rows_out: 67 });
      expect(logs.items.at(-1).message).toBe('run succeeded');
      expect(runs.items[0].id).toBe(run.run.id);
      expect(metrics).toMatchObject({ runs: 1, succeeded: 1 });
      expect(cancel).toEqual({ cancelled: false });
      expect(JSON.parse(readFileSync(join(work, 'openapi.json'), 'utf8')).openapi).toBe('3.1.0');
    } finally {
      server.kill('SIGINT');
      await new Promise((r) => server.on('close', r));
    }
  });
});

describe('docs/api.md: importing through the API', () => {
  it(
    'the import, inspect, create, run, follow and report examples work as written',
    {
      timeout: 300_000,
    },
    async () => {
      const [setup, script] = [snippet('api-import-setup'), snippet('api-import-curl')];
      const [importLine, serveLine] = setup.trim().split('\n');
      expect(serveLine).toBe('npx sluice serve /tmp/ge-api --port 8751');
      const root = join(__dirname, '..', '..');
      const env = { ...process.env, SLUICE_HOME: tempDir(), SLUICE_API_KEY: 'readme-key' };
      // Twice, as a reader who comes back to it would: the lines are safe to run again.
      for (let round = 0; round < 2; round++) {
        const made = spawnSync('bash', ['-euo', 'pipefail', '-c', importLine], {
          cwd: root,
          env,
          encoding: 'utf8',
        });
        expect(made.status, made.stderr).toBe(0);
        // Its own process group, so Ctrl-C can be sent to npx and sluice together, as a terminal does.
        const server = spawn('bash', ['-c', `exec ${serveLine}`], {
          cwd: root,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        try {
          await started(server, 60_000);
          const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
            cwd: root,
            env: { ...env, KEY: 'readme-key' },
            encoding: 'utf8',
          });
          expect(r.stderr).toBe('');
          expect(r.status).toBe(0);
          const lines = r.stdout.trim().split('\n');
          const upload = JSON.parse(lines[0]);
          const size = statSync(join(SHARED, 'Customers.csv')).size;
          expect(upload).toEqual({ path: 'Customers.csv', bytes: size });
          const inspect = JSON.parse(lines[1]);
          expect(inspect).toMatchObject({
            encoding: 'windows-1252',
            rows: 15266,
            suggested_key: ['CustomerKey'],
          });
          expect(JSON.parse(lines[2])).toMatchObject({ name: 'customers' });
          // The follow stream ends with the run's status; the report is a row per pipeline.
          const stream = lines.slice(3).join('\n');
          expect(stream).toMatch(/event: end\ndata: \{"run_id":"run_[^"]+","status":"succeeded"\}/);
          expect(stream).toMatch(/event: log\ndata: .*run succeeded/);
          const csv = lines.slice(lines.findIndex((l) => l.startsWith('run_id,')));
          expect(csv[0]).toMatch(/^run_id,run_date,pipeline,status/);
          expect(csv[1]).toMatch(/,customers,succeeded,.*,15266,15266,0,0,1,/);
        } finally {
          process.kill(-server.pid!, 'SIGINT');
          await new Promise((r) => server.on('close', r));
        }
      }
    },
  );
});
