/**
 * The examples of the README and docs/ are part of the product: they must run as written.
 * Each is found by its `<!-- snippet: ID -->` marker, in whichever file holds it now.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluice } from '../helpers/cli';
import { ROOT, snippet } from '../helpers/docs';
import { SHARED, tempDir } from '../helpers/tmp';

/** A project in a temporary folder whose data folder is the real retail files. */
function projectWith(projectYaml: string, pipelines: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'sluice.yaml'), projectYaml);
  for (const [name, yaml] of Object.entries(pipelines))
    writeFileSync(join(dir, 'pipelines', `${name}.yaml`), yaml);
  return dir;
}

describe('docs/recipes.md', () => {
  it('the full pipeline example runs on the real Sales.csv, 14 step kinds included', () => {
    const project = snippet('project-yaml');
    expect(project).toContain('data: data');
    const dir = projectWith(
      project.replace('data: data', `data: ${SHARED}`).replace('store: runs.db', 'store: store.db'),
      { sales: snippet('pipeline-yaml') },
    );
    const r = sluice(['run', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as RunReport;
    const kinds = new Set(rep.pipelines[0].steps.map((s) => s.kind));
    expect(kinds.size).toBe(14);
    const p = rep.pipelines[0];
    expect(p.rowsIn).toBe(62884);
    expect(p.rowsOut + p.rowsRejected + p.rowsRemoved).toBe(62884);
    expect(readFileSync(join(dir, 'out', 'sales.csv'), 'utf8').split('\n')[0]).toBe(
      'order_number,Line Item,Order Date,CustomerKey,Quantity,Currency Code',
    );
  });
});

describe('README', () => {
  it('the pipeline of "Recipes in brief" runs on the real Sales.csv and loses no row', () => {
    const dir = projectWith(`name: shop\ndata: ${SHARED}\nstore: store.db\n`, {
      sales: snippet('readme-pipeline'),
    });
    const r = sluice(['run', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const p = (JSON.parse(r.stdout) as RunReport).pipelines[0];
    expect(p.status).toBe('succeeded');
    expect(p.rowsIn).toBe(62884);
    expect(p.rowsOut + p.rowsRejected + p.rowsRemoved).toBe(62884);
    expect(p.rowsOut).toBeGreaterThan(60_000);
    expect(existsSync(join(dir, 'out', 'shop.sqlite'))).toBe(true);
  });

  it(
    'the command-line tour runs as written: profile, import, run, runs',
    { timeout: 600_000 },
    () => {
      // As written, but into a folder of this test's own rather than the shared /tmp/ge.
      const script = snippet('cli-tour');
      expect(script).toContain('--into /tmp/ge\n');
      const ge = join(tempDir(), 'ge');
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script.replaceAll('/tmp/ge', ge)], {
        cwd: ROOT,
        // Its own run store: `sluice runs` lists only this run.
        env: { ...process.env, SLUICE_HOME: tempDir() },
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      expect(r.status, r.stderr).toBe(0);
      // profile: the customers' columns with their types and the suggested key.
      expect(r.stdout).toMatch(/CustomerKey/);
      expect(r.stdout).toMatch(/suggested key.*CustomerKey/i);
      // import then run: a pipeline and an output per file.
      for (const name of ['customers', 'products', 'stores', 'exchange_rates', 'sales']) {
        expect(existsSync(join(ge, 'pipelines', `${name}.yaml`)), name).toBe(true);
        expect(existsSync(join(ge, 'out', `${name}.csv`)), name).toBe(true);
      }
      // runs: the one run, succeeded.
      const runs = r.stdout.split('\n').filter((l) => /^run_\S+/.test(l));
      expect(runs).toHaveLength(1);
      expect(runs[0]).toContain('succeeded');
    },
  );
});
