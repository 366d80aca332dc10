/**
 * Odd sources through the real `sluice` command: a gzip file is imported and run like its
 * plain twin, a zip file is refused with what to do, and a header with repeated or empty names
 * is read as a header, with the renaming said out loud.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { sluiceIn } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
const rows = Array.from({ length: 500 }, (_, i) => `${i},${i % 7},name ${i},${i}.25`);

describe('odd sources from the command line', () => {
  it('imports and runs a gzip file, with every row', async () => {
    const src = join(dir, 'orders.csv.gz');
    writeFileSync(src, gzipSync(Buffer.from('id,id,,amount\r\n' + rows.join('\r\n') + '\r\n')));
    const project = join(dir, 'p');
    const imp = await sluiceIn(['import', src, '--into', project]);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    const run = await sluiceIn(['run', project, '--json', '--store', join(dir, 'store.db')]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(report.status).toBe('succeeded');
    const p = report.pipelines[0];
    expect([p.rowsIn, p.rowsOut, p.rowsRejected]).toEqual([500, 500, 0]);
    const out = readFileSync(p.outputs[0].path!, 'utf8').split('\n');
    expect(out[0]).toBe('id,id_2,column_3,amount');
    expect(out[1]).toBe('0,0,name 0,0.25');
  }, 120_000);

  it('profile says how the header names were made unique', async () => {
    const src = join(dir, 'dup.csv');
    writeFileSync(src, 'id,id,,amount\n' + rows.join('\n') + '\n');
    const r = await sluiceIn(['profile', src]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /warning: the header row repeats or leaves out names: column 2 \("id" again\) is read as "id_2"; column 3 \(no name\) is read as "column_3"/,
    );
  }, 60_000);

  it('refuses a zip file with a message that names it and says what to do', async () => {
    const src = join(dir, 'orders.zip');
    writeFileSync(src, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]));
    const r = await sluiceIn(['profile', src]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${src}: is a zip archive, not a CSV file: unzip it`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
