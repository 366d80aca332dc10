/**
 * `sluice import --run`: the zero-config clean as one command. The run that follows the import in
 * its process is the run `sluice run` makes of the project the import wrote: the same output,
 * byte for byte, the same books, and its exit code is the command's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sluiceIn } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const rows = Array.from(
  { length: 400 },
  (_, i) =>
    `${1000 + (i % 350)},${(i % 3) + 1}, item ${i % 17} ,"$1,${i % 10}00.50 ",${i % 5 ? `0${(i % 9) + 1}/1${i % 10}/2021` : 'N/A'}`,
);
const csv = 'order,line,item,price,date\n' + rows.join('\n') + '\n';

describe('sluice import --run', () => {
  it('imports, then runs the project in the same process: the output sluice run writes', async () => {
    const dir = tempDir();
    const src = join(dir, 'orders.csv');
    writeFileSync(src, csv);

    const one = await sluiceIn([
      'import',
      src,
      '--into',
      join(dir, 'one'),
      '--run',
      '--store',
      join(dir, 'one.db'),
    ]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^orders: 400 rows, utf-8, 5 columns, key order \+ line -> /);
    expect(one.stdout).toMatch(/\nrun run_\S+: succeeded/);
    expect(one.stdout).toMatch(/orders\s+succeeded\s+400\s+400\s+0\s+0\s/);
    expect(one.stdout).not.toContain('run it with');

    const imp = await sluiceIn(['import', src, '--into', join(dir, 'two')]);
    expect(imp.stdout).toContain(`run it with: sluice run ${join(dir, 'two')}`);
    const run = await sluiceIn(['run', join(dir, 'two'), '--store', join(dir, 'two.db')]);
    expect(run.code).toBe(0);
    const out = (p: string): string => readFileSync(join(dir, p, 'out', 'orders.csv'), 'utf8');
    expect(out('one')).toBe(out('two'));
    expect(out('one').split('\n')[1]).toBe('1000,1,item 0,1000.5,');
    // The run is recorded in the store it was given, as sluice run's is.
    const runs = await sluiceIn(['runs', '--store', join(dir, 'one.db'), '--json']);
    expect((JSON.parse(runs.stdout) as { items: { project: string }[] }).items).toMatchObject([
      { project: 'one' },
    ]);
  }, 120_000);

  it('exits as its run does, and takes --store only with --run', async () => {
    const dir = tempDir();
    const src = join(dir, 'orders.csv');
    writeFileSync(src, csv);
    const noRun = await sluiceIn([
      'import',
      src,
      '--into',
      join(dir, 'p'),
      '--store',
      join(dir, 's.db'),
    ]);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toContain('--store is for --run');
    // Nothing was imported: the usage error comes before any file is written.
    const again = await sluiceIn([
      'import',
      src,
      '--into',
      join(dir, 'p'),
      '--run',
      '--store',
      join(dir, 's.db'),
    ]);
    expect(again.code).toBe(0);

    // A source that vanishes between import and run: the import succeeds, the run fails, and
    // the command's exit code is the run's.
    const gone = join(dir, 'gone.csv');
    writeFileSync(gone, csv);
    const project = join(dir, 'q');
    await sluiceIn(['import', gone, '--into', project]);
    writeFileSync(gone, 'order,line\nnot,a match\n');
    const failed = await sluiceIn([
      'import',
      src,
      '--into',
      project,
      '--run',
      '--store',
      join(dir, 'q.db'),
    ]);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toMatch(/run run_\S+: failed/);
  }, 120_000);

  it('says why an import fails as sluice import does, and runs nothing', async () => {
    const dir = tempDir();
    const missing = join(dir, 'missing.csv');
    const args = (into: string): string[] => ['import', missing, '--into', join(dir, into)];
    const alone = await sluiceIn(args('a'));
    const withRun = await sluiceIn([...args('b'), '--run', '--store', join(dir, 's.db')]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toBe(`sluice: ${missing}: file not found\n`);
    expect(withRun.code).toBe(1);
    expect(withRun.stderr).toBe(alone.stderr);
    expect(withRun.stdout).not.toContain('run run_');

    const src = join(dir, 'orders.csv');
    writeFileSync(src, csv);
    await sluiceIn(['import', src, '--into', join(dir, 'c')]);
    const again = await sluiceIn(['import', src, '--into', join(dir, 'c'), '--run']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^sluice: \S+orders\.yaml exists already \(use --force/);
    expect(again.stdout).toBe('');
  }, 120_000);
});
