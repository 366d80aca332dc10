/**
 * `sluice run --profile FILE`: a V8 CPU profile of the worker thread that ran each pipeline, as
 * Chrome DevTools loads it (a JSON object with nodes, samples and their times).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluice } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A project of two pipelines over a CSV big enough to be sampled at work. */
function project(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'sluice.yaml'), 'name: profiled\n');
  const rows = Array.from({ length: 30_000 }, (_, i) => `${i}, name ${i % 997} ,${i % 13}`);
  writeFileSync(join(dir, 'in.csv'), `id,name,n\n${rows.join('\n')}\n`);
  for (const p of ['first', 'second'])
    writeFileSync(
      join(dir, 'pipelines', `${p}.yaml`),
      `name: ${p}\nsource: {path: in.csv}\nsteps:\n  - step: trim\n  - step: cast\n    columns: {id: int, n: int}\n` +
        `outputs:\n  - {kind: csv, path: out/${p}.csv}\n`,
    );
  return dir;
}

function readProfile(file: string): CpuProfile {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  expect(p.nodes.length).toBeGreaterThan(0);
  expect(p.samples.length).toBeGreaterThan(0);
  expect(p.timeDeltas).toHaveLength(p.samples.length);
  expect(p.endTime).toBeGreaterThan(p.startTime);
  // Every sample names a node of the tree.
  const ids = new Set(p.nodes.map((n) => n.id));
  expect(p.samples.filter((s) => !ids.has(s))).toEqual([]);
  return p;
}

it('writes the CPU profile of the worker that ran a pipeline', () => {
  const dir = project();
  const file = join(dir, 'run.cpuprofile');
  const r = sluice([
    'run',
    dir,
    '--pipeline',
    'first',
    '--only',
    '--store',
    join(dir, 'store.db'),
    '--profile',
    file,
  ]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain(`CPU profile of first: ${file}`);
  const p = readProfile(file);
  // The profile is of the pipeline's work: the worker was sampled inside the run.
  const names = new Set(p.nodes.map((n) => n.callFrame.functionName));
  expect(names).toContain('runPipeline');
});

it('writes one profile per pipeline when a run has several, named after each', () => {
  const dir = project();
  const file = join(dir, 'prof', 'run.cpuprofile');
  mkdirSync(join(dir, 'prof'));
  const r = sluice(['run', dir, '--store', join(dir, 'store.db'), '--profile', file, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as RunReport;
  expect(report.pipelines.map((p) => p.status)).toEqual(['succeeded', 'succeeded']);
  expect(existsSync(file)).toBe(false);
  for (const name of ['first', 'second']) {
    const own = join(dir, 'prof', `run.${name}.cpuprofile`);
    expect(r.stderr).toContain(`CPU profile of ${name}: ${own}`);
    readProfile(own);
  }
});
