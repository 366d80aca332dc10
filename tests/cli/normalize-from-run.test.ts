import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('normalize with stats: from_run', () => {
  it('reuses the figures the last successful run recorded, so new data is scaled the same way', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'sluice.yaml'), 'name: n\nstore: store.db\n');
    const recipe = (stats: string) =>
      `name: scores\nsource: {path: x.csv}\nsteps:\n  - step: cast\n    columns: {x: float}\n  - step: normalize\n    name: scale\n    columns: [x]\n    stats: ${stats}\noutputs:\n  - {kind: csv, path: out/x.csv}\n`;
    writeFileSync(join(dir, 'x.csv'), 'x\n1\n2\n3\n4\n');
    writeFileSync(join(dir, 'pipelines', 'scores.yaml'), recipe('computed'));
    const first = JSON.parse((await sluiceIn(['run', dir, '--json'])).stdout) as RunReport;
    expect(first.pipelines[0].steps[1].notes).toEqual({
      stats: { x: { center: 2.5, scale: 1.2909944487358056 } },
    });
    // New data, the old figures.
    writeFileSync(join(dir, 'x.csv'), 'x\n2.5\n100\n');
    writeFileSync(join(dir, 'pipelines', 'scores.yaml'), recipe('from_run'));
    const r = await sluiceIn(['run', dir, '--json']);
    expect(r.code).toBe(0);
    const out = readFileSync(join(dir, 'out', 'x.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(out).toEqual(['x,x_zscore', '2.5,0', `100,${(100 - 2.5) / 1.2909944487358056}`]);
  });
});

describe('a source that is another pipeline', () => {
  it('says so when that pipeline has not written its output yet', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'sluice.yaml'), 'name: n\nstore: store.db\n');
    writeFileSync(join(dir, 'a.csv'), 'x\n1\n');
    writeFileSync(
      join(dir, 'pipelines', 'a.yaml'),
      'name: a\nsource: {path: a.csv}\noutputs:\n  - {kind: csv, path: out/a.csv}\n',
    );
    writeFileSync(
      join(dir, 'pipelines', 'b.yaml'),
      'name: b\nsource: {pipeline: a}\noutputs:\n  - {kind: csv, path: out/b.csv}\n',
    );
    const r = await sluiceIn(['run', dir, '--pipeline', 'b', '--json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout) as RunReport;
    expect(rep.pipelines[0].error).toMatchObject({
      code: 'source',
      message: expect.stringMatching(/pipeline a has not written .*out\/a\.csv yet: run it first/),
    });
    // Once a has run, b reads its output with the types it was written with.
    expect((await sluiceIn(['run', dir])).code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'b.csv'), 'utf8')).toBe('x\n1\n');
  });
});
