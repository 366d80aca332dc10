import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { profileFile, ProfileCache } from '../../src-main/service/profile';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

describe('profiles kept between inspecting and importing', () => {
  it('reads a file once for the same settings, again once it changes or more rows are wanted', async () => {
    const file = join(tempDir(), 'people.csv');
    writeFileSync(file, 'id,name\n1,Ann\n2,Bo\n3,Cy\n');
    const cache = new ProfileCache(undefined, 2);
    const inspected = cache.get(file, {}, 2);
    expect((await inspected).sample.rows).toEqual([
      ['1', 'Ann'],
      ['2', 'Bo'],
    ]);
    // Creating the pipeline after inspecting needs no sample: the same profile.
    expect(cache.get(file, {}, 0)).toBe(inspected);
    expect(cache.get(file, {}, 2)).toBe(inspected);
    // More sample rows, other settings, or a changed file: profiled again.
    const more = cache.get(file, {}, 3);
    expect(more).not.toBe(inspected);
    expect((await more).sample.rows).toHaveLength(3);
    const semicolons = cache.get(file, { delimiter: ';' });
    expect((await semicolons).columns.map((c) => c.name)).toEqual(['id,name']);
    writeFileSync(file, 'id,name\n1,Ann\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const changed = await cache.get(file, {}, 0);
    expect(changed.rows).toBe(1);
  });

  it('keeps only the newest profiles, and profiles a file again once its own was let go', async () => {
    const file = join(tempDir(), 'people.csv');
    writeFileSync(file, 'id;name\n1;Ann\n');
    const read: string[] = [];
    const cache = new ProfileCache((path, settings, rows) => {
      read.push(settings.delimiter ?? 'auto');
      return profileFile(path, settings, rows);
    }, 2);
    const a = cache.get(file, { delimiter: ',' });
    const b = cache.get(file, { delimiter: ';' });
    const c = cache.get(file, { delimiter: '|' });
    expect(read).toEqual([',', ';', '|']);
    // The two newest are kept; the oldest went when the third came.
    expect(cache.get(file, { delimiter: ';' })).toBe(b);
    expect(cache.get(file, { delimiter: '|' })).toBe(c);
    expect(read).toHaveLength(3);
    const again = cache.get(file, { delimiter: ',' });
    expect(again).not.toBe(a);
    expect(read).toEqual([',', ';', '|', ',']);
    expect((await again).columns.map((col) => col.name)).toEqual(
      (await a).columns.map((col) => col.name),
    );
  });

  it('does not keep a profile that failed', async () => {
    const file = join(tempDir(), 'bad.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const cache = new ProfileCache();
    const failed = cache.get(file, { encoding: 'no-such-encoding' as never });
    await expect(failed).rejects.toThrow();
    expect(cache.get(file, { encoding: 'no-such-encoding' as never })).not.toBe(failed);
    await cache.get(file, { encoding: 'no-such-encoding' as never }).catch(() => undefined);
  });
});

describe('profiles in the service', () => {
  it('are computed on a worker thread, the same as on this one; a file that cannot be read is a bad request', async () => {
    const dir = makeProject({}, { name: 'prof', smallCsv: 'id,name\n1,Ann\n2,\n3,Cy\n' });
    const service = await SluiceService.open(dir);
    try {
      const file = join(dir, 'small.csv');
      const onWorker = await service.profiles.get(file, {}, 2);
      expect(service.previewPool).not.toBeNull();
      expect(onWorker).toEqual(await profileFile(file, {}, 2));
      await expect(
        service.profiles.get(file, { encoding: 'no-such-encoding' as never }),
      ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/encoding/) });
    } finally {
      await service.close();
    }
  });
});
