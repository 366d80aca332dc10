/**
 * Vitest globalSetup of the `integration-example` project: the example project run once on the
 * real data, by the real `sluice` command, for every test that reads such a run. Tests find it
 * with exampleRun() (tests/helpers/example-run.ts); one that changes its files copies it first.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { ExampleRun } from '../helpers/example-run';

// (Not imported from the helpers: they load vitest's test runtime, which this file runs without.)
const path = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const ROOT = path('../../');
const SLUICE = join(ROOT, 'src-main', 'cli', 'sluice.mjs');
const EXAMPLE = join(ROOT, 'config', 'examples', 'global-electronics');
const SHARED = join(ROOT, '..', 'shared', 'datasets', 'global-electronics');

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-example-run-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  const store = join(dir, 'store.db');
  // Four workers, so the graph test sees the four dimension tables side by side.
  const args = ['run', dir, '--data', SHARED, '--workers', '4', '--store', store, '--json'];
  const child = spawn(process.execPath, [SLUICE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const run: ExampleRun = { dir, store, code, stdout, stderr };
  project.provide('exampleRun', run);
  return () => rmSync(dir, { recursive: true, force: true });
}
