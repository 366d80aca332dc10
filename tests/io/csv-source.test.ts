/**
 * The source file itself: a file that changes while it is read fails the read instead of
 * passing off the rows read so far as the whole file, and compressed files are recognised by
 * their first bytes (gzip is read, other formats are refused with what to do).
 */
import { appendFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openCsv, SourceError, type ReadReject } from '../../src-main/io/csv-read';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
let n = 0;
function file(content: string | Buffer, name = `f${n++}.csv`): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Reads every row; `during` runs once, after the first batch has been handed out. */
async function readAll(path: string, during?: () => void) {
  const src = await openCsv(path);
  const rejects: ReadReject[] = [];
  const rows: string[][] = [];
  let first = true;
  for await (const b of src.batches((r) => rejects.push(r), 1000)) {
    for (let i = 0; i < b.length; i++)
      rows.push(b.columns.map((c) => (c.kind === 'text' ? (c.values[i] ?? '') : '')));
    if (first && during) during();
    first = false;
  }
  return { info: src.info, stats: src.stats, rows, rejects };
}

/** About 6 MB: several read chunks, so the read is still going after the first batch. */
const BIG =
  'id,name,amount\n' +
  Array.from({ length: 200_000 }, (_, i) => `${i},name ${i},${i}.5`).join('\n') +
  '\n';

describe('a source that changes while it is read', () => {
  it('fails when the file is cut short during the read, naming the file and the sizes', async () => {
    const p = file(BIG);
    const half = Math.floor(BIG.length / 2);
    const err = await readAll(p, () => truncateSync(p, half)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    const msg = (err as Error).message;
    expect(msg).toContain(p);
    expect(msg).toMatch(/changed while it was being read/);
    expect(msg).toContain(`${BIG.length.toLocaleString('en-US')} bytes`);
    expect(msg).toContain(`${half.toLocaleString('en-US')} bytes`);
    expect(msg).toMatch(/not the whole file/);
  });
  it('fails when the file grows during the read', async () => {
    const p = file(BIG);
    const err = await readAll(p, () => appendFileSync(p, '999999,late,1\n')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/changed while it was being read.*size/);
  });
  it('fails when the file is rewritten in place (same size, new modification time)', async () => {
    const p = file(BIG);
    const later = new Date(Date.now() + 60_000);
    const err = await readAll(p, () => utimesSync(p, later, later)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/changed while it was being read.*modified/);
  });
  it('reads a file that does not change to the end', async () => {
    const r = await readAll(file(BIG));
    expect(r.rows).toHaveLength(200_000);
    expect(r.rejects).toEqual([]);
  });
});

describe('compressed sources', () => {
  it('reads a gzip file transparently, by its magic bytes', async () => {
    const text = 'name,city\nJosé,Zürich\n';
    const r = await readAll(file(gzipSync(Buffer.from(text)), 'people.csv.gz'));
    expect(r.info.encoding).toBe('utf-8');
    expect(r.info.columns).toEqual(['name', 'city']);
    expect(r.rows).toEqual([['José', 'Zürich']]);
    expect(r.info.compression).toBe('gzip');
  });
  it('reads a large gzip file (many chunks), windows-1252 inside, and multi-line rows', async () => {
    const body = BIG + '7,"two\nlines",1\n' + 'x,Sch\xf6n \x80,2\n';
    const p = file(gzipSync(Buffer.from(body, 'latin1')), 'big.csv.gz');
    const r = await readAll(p);
    expect(r.info.encoding).toBe('windows-1252');
    expect(r.rows).toHaveLength(200_002);
    expect(r.rows.at(-2)).toEqual(['7', 'two\nlines', '1']);
    expect(r.rows.at(-1)).toEqual(['x', 'Schön €', '2']);
    expect(r.stats.bytesRead).toBe(r.info.bytes);
  });
  it('reads a gzip file whatever its name', async () => {
    const r = await readAll(file(gzipSync(Buffer.from('a;b\n1;2\n')), 'export.csv'));
    expect(r.rows).toEqual([['1', '2']]);
  });
  it('fails clearly on a damaged or cut-short gzip file', async () => {
    const gz = gzipSync(Buffer.from(BIG));
    const p = file(gz.subarray(0, Math.floor(gz.length / 2)), 'cut.csv.gz');
    const err = await readAll(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/cut\.csv\.gz: .*gzip.*(damaged|cut short)/);
  });
  it.each([
    ['zip', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], /zip archive.*unzip/],
    ['bzip2', [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41], /bzip2.*bunzip2/],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], /xz.*unxz/],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58], /zstd.*unzstd/],
  ])('refuses a %s file, naming the format and what to do', async (_name, magic, why) => {
    const p = file(Buffer.concat([Buffer.from(magic), Buffer.from('rest,of,file\n1,2,3\n')]));
    const err = await openCsv(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toContain(p);
    expect((err as Error).message).toMatch(why);
  });
});
