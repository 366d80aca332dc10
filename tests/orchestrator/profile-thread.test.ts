/**
 * `sluice import --run` profiles each file on a thread of its own (profile-thread.ts), so that the
 * profile's memory goes with the thread before the run. What importFiles writes and returns with
 * that profile is what it writes and returns profiling on this thread, the profile's own helper
 * thread (a thread of a thread) included; a file that cannot be read fails as it does here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src-main/io/source-error';
import { profileOnThread as onWorker } from '../../src-main/orchestrator/profile-thread';
import { ImportError, importFiles } from '../../src-main/service/import';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();

/** Over 16 MB, so that the profile is split over two threads (profile-split.ts). */
function bigFile(): string {
  const lines = ['order,line,sku,price,day'];
  for (let i = 0; i < 300_000; i++)
    lines.push(
      `${100_000 + (i >> 1)},${(i & 1) + 1},SKU-${(i * 7919) % 5003},"$${(i % 997) + 0.5} ",${(i % 12) + 1}/${(i % 28) + 1}/2021   padding to make the file large enough`,
    );
  const path = join(dir, 'orders.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('an import whose files are profiled on a worker thread', () => {
  it('writes and returns what it does profiling on this thread', async () => {
    const src = bigFile();
    const here = await importFiles([src], join(dir, 'here'));
    const there = await importFiles([src], join(dir, 'there'), { profile: onWorker });
    expect(there.created[0].profile.rows).toBe(300_000);
    expect(there.created[0].profile.suggestedKey).toEqual(['order', 'line']);
    expect(JSON.stringify(there.created[0].profile)).toBe(JSON.stringify(here.created[0].profile));
    expect(readFileSync(there.created[0].file, 'utf8')).toBe(
      readFileSync(here.created[0].file, 'utf8'),
    );
    expect(there.allowed).toEqual(here.allowed);
  }, 300_000);

  it('fails as it does on this thread: a file not found, a pipeline that exists', async () => {
    const missing = join(dir, 'nowhere.csv');
    const gone = await importFiles([missing], join(dir, 'p'), { profile: onWorker }).catch(
      (e: unknown) => e,
    );
    expect(gone).toBeInstanceOf(SourceError);
    expect((gone as SourceError).message).toBe(`${missing}: file not found`);
    expect((gone as SourceError).path).toBe(missing);

    const small = join(dir, 'small.csv');
    writeFileSync(small, 'a,b\n1,2\n');
    await importFiles([small], join(dir, 'q'));
    const exists = await importFiles([small], join(dir, 'q'), { profile: onWorker }).catch(
      (e: unknown) => e,
    );
    expect(exists).toBeInstanceOf(ImportError);
    expect((exists as Error).message).toMatch(/small\.yaml exists already \(use --force/);
    // --force replaces it, as on this thread.
    const forced = await importFiles([small], join(dir, 'q'), { force: true, profile: onWorker });
    expect(forced.created.map((c) => c.pipeline)).toEqual(['small']);
  }, 120_000);
});
