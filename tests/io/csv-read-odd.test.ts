/**
 * Odd input that used to give wrong answers: a very long quoted field, mixed line endings,
 * UTF-16 without a byte order mark, a header row with repeated or empty names.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCsv, readRawLines, type ReadReject } from '../../src-main/io/csv-read';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
let n = 0;
function file(content: string | Buffer): string {
  const p = join(dir, `f${n++}.csv`);
  writeFileSync(p, content);
  return p;
}

async function readAll(path: string, settings = {}, limits = {}) {
  const src = await openCsv(path, settings, limits);
  const rejects: ReadReject[] = [];
  const rows: string[][] = [];
  const lines: [number, number][] = [];
  for await (const b of src.batches((r) => rejects.push(r), 100)) {
    for (let i = 0; i < b.length; i++) {
      rows.push(b.columns.map((c) => (c.kind === 'text' ? (c.values[i] ?? '') : '')));
      lines.push([b.line[i], b.lineEnd[i]]);
    }
  }
  return { info: src.info, stats: src.stats, rows, lines, rejects };
}

/** A CSV whose second row has one quoted field of `mb` MB (with commas, quotes, line breaks). */
async function longFieldFile(mb: number): Promise<{ path: string; field: string }> {
  const piece = 'lorem, ipsum dolor sit\namet '.repeat(1024) + 'a ""quoted"" word\r\n'; // 28 KB
  const path = join(dir, `long${n++}.csv`);
  const out = createWriteStream(path);
  out.write('id,text,n\n1,short,x\n2,"');
  const count = Math.ceil((mb * 1024 * 1024) / piece.length);
  for (let i = 0; i < count; i++) if (!out.write(piece)) await once(out, 'drain');
  out.end('",y\n3,after,z\n');
  await once(out, 'finish');
  return { path, field: piece.replace(/""/g, '"').repeat(count) };
}

describe('very long quoted fields', () => {
  it('reads a 50 MB quoted field as one cell, with no phantom rows after it', async () => {
    const { path, field } = await longFieldFile(50);
    const r = await readAll(path);
    expect(r.rejects).toEqual([]);
    expect(r.rows.map((x) => [x[0], x[2]])).toEqual([
      ['1', 'x'],
      ['2', 'y'],
      ['3', 'z'],
    ]);
    expect(r.rows[1][1].length).toBe(field.length);
    expect(r.rows[1][1] === field).toBe(true);
    const breaks = field.split('\n').length - 1;
    expect(r.lines).toEqual([
      [2, 2],
      [3, 3 + breaks],
      [4 + breaks, 4 + breaks],
    ]);
  }, 120_000);

  it('rejects a field over the size limit as one row, from its first to its last line, then goes on', async () => {
    const { path, field } = await longFieldFile(3);
    const r = await readAll(path, {}, { maxRecordChars: 1 << 20 });
    const breaks = field.split('\n').length - 1;
    expect(r.rows.map((x) => x[0])).toEqual(['1', '3']);
    expect(r.lines[1]).toEqual([4 + breaks, 4 + breaks]);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatchObject({ line: 3, lineEnd: 3 + breaks, rule: 'record_too_long' });
    expect(r.rejects[0].reason).toMatch(/longer than 1,048,576 characters/);
    expect(r.rejects[0].raw.length).toBeLessThan(2000);
    expect(r.stats.rowsRead).toBe(3);
  }, 60_000);

  it('an unterminated quote over the size limit is rejected with every line to the end of the file', async () => {
    const body = '2,"never closed\n' + 'x,y\n'.repeat(400_000);
    const r = await readAll(file('a,b\n1,ok\n' + body), {}, { maxRecordChars: 1 << 20 });
    expect(r.rows).toEqual([['1', 'ok']]);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatchObject({ line: 3, lineEnd: 400_003, rule: 'broken_quotes' });
    expect(r.rejects[0].reason).toMatch(/quote opened on line 3 is never closed/);
  }, 60_000);

  it('counts each of two LF breaks inside an unterminated quote over the limit (fuzz seed -2044043147)', async () => {
    // "id LF LF: two line breaks, not one CR LF; the reject covers lines 1-2 and nothing is lost.
    const lim = { chunkBytes: 1, blockChars: 1, maxRecordChars: 4 };
    for (const [text, lineEnd] of [
      ['"id\n\n', 2],
      ['"id\r\n\r\n', 2],
      ['"id\n\n\nx', 4],
    ] as const) {
      const r = await readAll(file(text), { header: false }, lim);
      expect(r.rejects, JSON.stringify(text)).toMatchObject([
        { line: 1, lineEnd, rule: 'broken_quotes' },
      ]);
      expect(r.stats.blankLines).toBe(0);
    }
  });
});

describe('mixed line endings', () => {
  it('reads each line whether it ends in CRLF, LF or a lone CR', async () => {
    const p = file('a,b\r\n1,x\n2,y\r3,z\r\n"4\nfour",w\r5,"v"\n6,u');
    const r = await readAll(p);
    expect(r.rejects).toEqual([]);
    expect(r.rows).toEqual([
      ['1', 'x'],
      ['2', 'y'],
      ['3', 'z'],
      ['4\nfour', 'w'],
      ['5', 'v'],
      ['6', 'u'],
    ]);
    expect(r.lines).toEqual([
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 6],
      [7, 7],
      [8, 8],
    ]);
    const raw = await readRawLines(r.info, [
      { line: 3, lineEnd: 3 },
      { line: 5, lineEnd: 6 },
      { line: 7, lineEnd: 7 },
    ]);
    expect(raw.get(3)).toBe('2,y');
    expect(raw.get(5)).toBe('"4\nfour",w');
    expect(raw.get(7)).toBe('5,"v"');
  });
  it('counts a blank line of any ending and keeps line numbers right after it', async () => {
    const r = await readAll(file('a\r\n1\r\n\n2\r\r3\n'));
    expect(r.rows).toEqual([['1'], ['2'], ['3']]);
    expect(r.stats.blankLines).toBe(2);
    expect(r.lines.map((l) => l[0])).toEqual([2, 4, 6]);
  });
});

describe('UTF-16 without a byte order mark', () => {
  const text = 'name;city\r\nJosé;Zürich\r\nŁukasz;Kraków\r\n';
  it('detects UTF-16LE from the NUL bytes', async () => {
    const r = await readAll(file(Buffer.from(text, 'utf16le')));
    expect(r.info.encoding).toBe('utf-16le');
    expect(r.info.encodingReason).toMatch(/no byte order mark/);
    expect(r.info.columns).toEqual(['name', 'city']);
    expect(r.rows).toEqual([
      ['José', 'Zürich'],
      ['Łukasz', 'Kraków'],
    ]);
  });
  it('detects UTF-16BE from the NUL bytes', async () => {
    const r = await readAll(file(Buffer.from(text, 'utf16le').swap16()));
    expect(r.info.encoding).toBe('utf-16be');
    expect(r.rows[1]).toEqual(['Łukasz', 'Kraków']);
  });
});

describe('header rows with repeated or empty names', () => {
  it('takes `id,id,,amount` as a header and makes the names unique, with a warning', async () => {
    const r = await readAll(file('id,id,,amount\n1,7,x,2.50\n2,8,y,3.75\n'));
    expect(r.info.header).toBe(true);
    expect(r.info.columns).toEqual(['id', 'id_2', 'column_3', 'amount']);
    expect(r.rows).toHaveLength(2);
    expect(r.info.warnings.join('\n')).toMatch(/id_2.*column_3|column_3.*id_2/s);
  });
  it('never makes a name twice, even when a made-up name is in the header already', async () => {
    const r = await readAll(file('a,a,a_2,\n1,2,3,4\n'), { header: true });
    expect(r.info.columns).toEqual(['a', 'a_3', 'a_2', 'column_4']);
    expect(new Set(r.info.columns).size).toBe(4);
  });
  it('still reads a file without a header as data', async () => {
    const r = await readAll(file('1,,3.5\n2,x,4\n'));
    expect(r.info.header).toBe(false);
    expect(r.rows).toHaveLength(2);
  });
});
