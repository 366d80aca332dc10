/** Stack traces stay out of the run log (which the API serves) and go to the debug log. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Resources } from '../../src-main/orchestrator/resources';
import { runPipeline } from '../../src-main/orchestrator/run-pipeline';
import { tempDir } from '../helpers/tmp';

const saved = process.env.SLUICE_HOME;
afterAll(() => {
  if (saved === undefined) delete process.env.SLUICE_HOME;
  else process.env.SLUICE_HOME = saved;
});

it('an internal error logs its message and where its stack is, never the stack', async () => {
  const home = tempDir();
  process.env.SLUICE_HOME = home;
  const lines: string[] = [];
  const broken: Resources = {
    sourcePath: () => {
      throw new TypeError('a bug in here');
    },
    sidePath: () => '',
    outputPath: (p) => p,
    loadSide: () => Promise.reject(new Error('unused')),
  };
  const report = await runPipeline({
    projectDir: home,
    resources: broken,
    defaultDatabase: join(home, 'x.sqlite'),
    connections: {},
    pipeline: {
      name: 'p',
      source: { path: 'x.csv', encoding: 'auto', delimiter: 'auto', header: 'auto', quote: '"' },
      steps: [],
      outputs: [],
      depends_on: [],
    },
    maxRejectRate: 1,
    previous: {},
    runId: 'run_x',
    recorder: { log: (_level, m) => lines.push(m), addRejects: () => undefined },
  });
  expect(report.error).toMatchObject({
    code: 'internal',
    message: 'internal error: a bug in here',
  });
  const log = lines.join('\n');
  expect(log).toContain(`the stack trace is in ${join(home, 'logs', 'debug.log')}`);
  expect(log).not.toMatch(/\n\s+at /);
  expect(log).not.toContain('run-pipeline');
  const debug = readFileSync(join(home, 'logs', 'debug.log'), 'utf8');
  expect(debug).toContain('run run_x, pipeline p');
  expect(debug).toMatch(/TypeError: a bug in here\n\s+at /);
});
