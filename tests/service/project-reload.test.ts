/**
 * The service reloads the project's recipes on every call the window makes; it parses them again
 * only when a file changed (its size, inode or time), and when one was written in the last two
 * seconds (where a file system keeping whole seconds could hide a second save) only when a
 * file's text differs from what it parsed.
 */
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { makeProject } from '../helpers/project';

const A = 'source: {path: small.csv}\noutputs:\n  - {kind: csv, path: out/a.csv}\n';
let svc: SluiceService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

/** Dates every recipe file of `dir` `ago` seconds back. */
function age(dir: string, ago: number, files = ['sluice.yaml', 'pipelines/a.yaml']): void {
  const t = Date.now() / 1000 - ago;
  for (const f of files) utimesSync(join(dir, f), t, t);
}

describe('reloading the project', () => {
  it('keeps the parsed recipes while no file changed, and reads a changed one again', async () => {
    const dir = makeProject({ a: A }, { name: 'reload', smallCsv: 'id\n1\n' });
    age(dir, 3600);
    svc = await SluiceService.open(dir);
    const first = await svc.reload();
    expect(await svc.reload()).toBe(first);

    // Same size, another time: read again.
    writeFileSync(join(dir, 'pipelines', 'a.yaml'), `name: a\n${A.replace('a.csv', 'b.csv')}`);
    age(dir, 1800, ['pipelines/a.yaml']);
    const second = await svc.reload();
    expect(second).not.toBe(first);
    expect(second.pipelines[0].pipeline.outputs[0]).toMatchObject({ path: 'out/b.csv' });

    // A new pipeline, and a removed one, are seen.
    writeFileSync(join(dir, 'pipelines', 'c.yaml'), `name: c\n${A.replace('a.csv', 'c.csv')}`);
    age(dir, 900, ['pipelines/c.yaml']);
    expect((await svc.reload()).pipelines.map((p) => p.pipeline.name)).toEqual(['a', 'c']);
    rmSync(join(dir, 'pipelines', 'c.yaml'));
    expect((await svc.reload()).pipelines.map((p) => p.pipeline.name)).toEqual(['a']);
  });

  it('while a file is fresh from a save, compares its text: the same text is the same project', async () => {
    const dir = makeProject({ a: A }, { name: 'fresh', smallCsv: 'id\n1\n' });
    svc = await SluiceService.open(dir);
    // Written just now: no signature is trusted, but the texts are those just parsed (sluice run
    // right after sluice import, whose runs.start reloads: one parse, not two).
    const first = await svc.reload();
    expect(first).toBe(svc.project);
    expect(await svc.reload()).toBe(first);

    // A second save within the same second, the same size: its text tells.
    writeFileSync(join(dir, 'pipelines', 'a.yaml'), `name: a\n${A.replace('a.csv', 'b.csv')}`);
    const second = await svc.reload();
    expect(second).not.toBe(first);
    expect(second.pipelines[0].pipeline.outputs[0]).toMatchObject({ path: 'out/b.csv' });
    expect(await svc.reload()).toBe(second);
  });
});
