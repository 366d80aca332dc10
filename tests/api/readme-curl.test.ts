/** The README's curl examples run as written against `sluice serve` on port 8750. */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLUICE } from '../helpers/cli';
import { SHARED, tempDir } from '../helpers/tmp';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

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
    let out = '';
    server.stdout.on('data', (d) => (out += d));
    server.stderr.on('data', (d) => (out += d));
    try {
      const t0 = Date.now();
      while (!out.includes('open:')) {
        if (Date.now() - t0 > 20_000) throw new Error(`serve did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(out).toContain('http://127.0.0.1:8750/#key=readme-key');
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
