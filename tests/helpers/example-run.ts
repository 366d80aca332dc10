/** The one run of the example project on the real data that tests share (tests/setup). */
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';

export const EXAMPLE = join(__dirname, '..', '..', 'config', 'examples', 'global-electronics');

/** What `sluice run <copy of the example> --data <real files> --workers 4 --json` left. */
export interface ExampleRun {
  /** The project copy the run wrote into (out/ holds its outputs). Read it; copy to change it. */
  dir: string;
  store: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    exampleRun: ExampleRun;
  }
}

/** The shared run and its report; fails the test if the run did not succeed cleanly. */
export function exampleRun(): ExampleRun & { report: RunReport } {
  const run = inject('exampleRun');
  expect(run, 'the example run is made by the integration-example project').toBeDefined();
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { ...run, report: JSON.parse(run.stdout) as RunReport };
}
