/** The README's curl examples run as written against `sluice serve` on port 8750. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLUICE } from '../helpers/cli';
import { SHARED, tempDir } from '../helpers/tmp';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

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

describe('README: the local API', () => {
  it('the curl examples work against sluice serve', async () => {
    const at = README.indexOf('With the server above running');
    expect(at).toBeGreaterThan(-1);
    const script = /```sh\n([\s\S]*?)```/.exec(README.slice(at))![1];
    expect(script).toContain('curl -s http://127.0.0.1:8750/health');
    const dir = tempDir();
    const example = join(__dirname, '..', '..', 'config', 'examples', 'global-electronics');
    cpSync(example, dir, { recursive: true });
    const env = { ...process.env, SLUICE_HOME: tempDir(), SLUICE_API_KEY: 'readme-key' };
    const server = spawn(
      process.execPath,
      [SLUICE, 'serve', dir, '--data', SHARED, '--store', join(dir, 'store.db')],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const out = await started(server, 20_000);
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

describe('README: importing through the API', () => {
  it(
    'the import, inspect, create, run, follow and report examples work as written',
    {
      timeout: 120_000,
    },
    async () => {
      const at = README.indexOf('Importing a file as a browser does');
      expect(at).toBeGreaterThan(-1);
      const [setup, script] = [...README.slice(at).matchAll(/```sh\n([\s\S]*?)```/g)]
        .slice(0, 2)
        .map((m) => m[1]);
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
          await started(server, 30_000);
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
