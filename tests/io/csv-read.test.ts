import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCsv, readRawLines, type ReadReject } from '../../src-main/io/csv-read';
import { detectEncoding } from '../../src-main/io/encoding';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
let n = 0;
function file(content: string | Buffer): string {
  const p = join(dir, `f${n++}.csv`);
  writeFileSync(p, content);
  return p;
}

async function readAll(path: string, settings = {}, batchSize = 3) {
  const src = await openCsv(path, settings);
  const rejects: ReadReject[] = [];
  const rows: string[][] = [];
  const lines: number[] = [];
  for await (const b of src.batches((r) => rejects.push(r), batchSize)) {
    for (let i = 0; i < b.length; i++) {
      rows.push(b.columns.map((c) => (c.kind === 'text' ? (c.values[i] as string) : '')));
      lines.push(b.line[i]);
    }
  }
  return { info: src.info, stats: src.stats, rows, lines, rejects };
}

describe('encodings', () => {
  it('detects a UTF-8 BOM and strips it', async () => {
    const r = await readAll(
      file(
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,city\nJosé,Zürich\n')]),
      ),
    );
    expect(r.info.encoding).toBe('utf-8');
    expect(r.info.columns).toEqual(['name', 'city']);
    expect(r.rows).toEqual([['José', 'Zürich']]);
  });
  it('reads UTF-16LE and UTF-16BE with BOM', async () => {
    const text = 'a;b\r\n1;ü\r\n';
    const le = await readAll(
      file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
    );
    expect(le.info.encoding).toBe('utf-16le');
    expect(le.rows).toEqual([['1', 'ü']]);
    const beBody = Buffer.from(text, 'utf16le').swap16();
    const be = await readAll(file(Buffer.concat([Buffer.from([0xfe, 0xff]), beBody])));
    expect(be.info.encoding).toBe('utf-16be');
    expect(be.rows).toEqual([['1', 'ü']]);
  });
  it('falls back to windows-1252 when the bytes are not UTF-8', async () => {
    const p = file(Buffer.from('name\nF\xfcrstenberg\nSch\xf6n \x80\n', 'latin1'));
    expect((await detectEncoding(p)).encoding).toBe('windows-1252');
    const r = await readAll(p);
    expect(r.rows).toEqual([['Fürstenberg'], ['Schön €']]);
  });
  it('keeps mostly-UTF-8 files as UTF-8 and rejects the rows with bad bytes', async () => {
    const good = 'name\n' + 'Zoë\n'.repeat(20);
    const p = file(
      Buffer.concat([Buffer.from(good), Buffer.from('bad\xff\n', 'latin1'), Buffer.from('Zoë\n')]),
    );
    const r = await readAll(p);
    expect(r.info.encoding).toBe('utf-8');
    expect(r.rows).toHaveLength(21);
    expect(r.rejects).toEqual([expect.objectContaining({ line: 22, rule: 'undecodable_bytes' })]);
  });
  it('keeps a real U+FFFD character in a valid UTF-8 file', async () => {
    const r = await readAll(file('a\nx\uFFFDy\n'));
    expect(r.rejects).toEqual([]);
    expect(r.rows).toEqual([['x\uFFFDy']]);
  });
  it('an explicit encoding wins', async () => {
    const r = await readAll(file(Buffer.from('a\n\xe9\n', 'latin1')), { encoding: 'windows-1252' });
    expect(r.info.encodingReason).toBe('set in the recipe');
    expect(r.rows).toEqual([['é']]);
  });
});

describe('dialects', () => {
  it.each([
    [',', 'a,b,c\n1,2,3\n'],
    [';', 'a;b;c\n1;2,5;3\n'],
    ['\t', 'a\tb\tc\n1\t2\t3\n'],
    ['|', 'a|b|c\n1|2|3\n'],
  ])('sniffs %j', async (d, text) => {
    const r = await readAll(file(text));
    expect(r.info.delimiter).toBe(d);
    expect(r.rows[0]).toHaveLength(3);
  });
  it('handles CRLF, CR and quoted newlines with correct line numbers', async () => {
    const crlf = await readAll(file('a,b\r\n1,"x\r\ny"\r\n2,z\r\n'));
    expect(crlf.info.newline).toBe('\r\n');
    expect(crlf.rows).toEqual([
      ['1', 'x\r\ny'],
      ['2', 'z'],
    ]);
    expect(crlf.lines).toEqual([2, 4]);
    const cr = await readAll(file('a,b\r1,"p\rq"\r2,z\r'));
    expect(cr.info.newline).toBe('\r');
    expect(cr.rows).toEqual([
      ['1', 'p\rq'],
      ['2', 'z'],
    ]);
    expect(cr.lines).toEqual([2, 4]);
  });
  it('detects a missing header row', async () => {
    const r = await readAll(file('1,2020-01-01,3.5\n2,2020-01-02,4\n'));
    expect(r.info.header).toBe(false);
    expect(r.info.columns).toEqual(['column_1', 'column_2', 'column_3']);
    expect(r.rows).toHaveLength(2);
  });
  it('makes header names unique and non-empty', async () => {
    const r = await readAll(file('a,a,\n1,2,3\n'), { header: true });
    expect(r.info.columns).toEqual(['a', 'a_2', 'column_3']);
  });
  it('reads rows across many small blocks the same as one', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `${i},"multi\nline ${i}",x`).join('\n');
    const r = await readAll(file('id,text,z\n' + body + '\n'), {}, 1000);
    expect(r.rows).toHaveLength(5000);
    expect(r.lines[4999]).toBe(2 + 4999 * 2);
    expect(r.rows[4999][1]).toBe('multi\nline 4999');
  });
});

describe('bad rows', () => {
  it('rejects ragged rows with line, raw text and reason, and goes on', async () => {
    const r = await readAll(file('a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n'));
    expect(r.rows).toEqual([
      ['1', '2', '3'],
      ['10', '11', '12'],
    ]);
    expect(r.rejects).toEqual([
      { line: 3, lineEnd: 3, raw: '4,5', rule: 'ragged_row', reason: 'expected 3 fields, found 2' },
      {
        line: 4,
        lineEnd: 4,
        raw: '6,7,8,9',
        rule: 'ragged_row',
        reason: 'expected 3 fields, found 4',
      },
    ]);
    expect(r.stats.rowsRead).toBe(4);
  });
  it('rejects a broken quote on its own line and resumes on the next line', async () => {
    const r = await readAll(file('a,b\n1,"ok"\n2,"broken"x\n3,fine\n"4,unterminated\n5,last\n'));
    expect(r.rows).toEqual([
      ['1', 'ok'],
      ['3', 'fine'],
      ['5', 'last'],
    ]);
    expect(r.rejects.map((x) => [x.line, x.raw, x.rule])).toEqual([
      [3, '2,"broken"x', 'broken_quotes'],
      [5, '"4,unterminated', 'broken_quotes'],
    ]);
  });
  it('counts blank lines without making rows of them', async () => {
    const r = await readAll(file('a\n1\n\n2\n'));
    expect(r.rows).toEqual([['1'], ['2']]);
    expect(r.stats.blankLines).toBe(1);
    expect(r.lines).toEqual([2, 4]);
  });
  it('names the file when it cannot be opened or is empty', async () => {
    await expect(openCsv(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: file not found/);
    await expect(openCsv(file(''))).rejects.toThrow(/the file is empty/);
    await expect(openCsv(dir)).rejects.toThrow(/is a folder, not a CSV file/);
  });
});

describe('readRawLines', () => {
  it('fetches raw text of single and multi-line rows', async () => {
    const p = file('a,b\r\n1,x\r\n2,"y\r\nz"\r\n3,w\r\n');
    const src = await openCsv(p);
    const raw = await readRawLines(src.info, [
      { line: 3, lineEnd: 4 },
      { line: 5, lineEnd: 5 },
    ]);
    expect(raw.get(3)).toBe('2,"y\r\nz"');
    expect(raw.get(5)).toBe('3,w');
  });
});

describe('readRawLines from line marks', () => {
  it('reads the same lines from the marks the byte reader leaves as from the start', async () => {
    // A BOM, CRLF and LF breaks, blank lines, rows over several lines, a ragged row.
    const rows: string[] = ['id,text,n'];
    for (let i = 0; i < 3000; i++) {
      if (i % 97 === 0) rows.push('');
      if (i % 41 === 0) rows.push(`${i},"two\r\nlines, ${i}",${i}`);
      else if (i % 53 === 0) rows.push(`${i},ragged`);
      else rows.push(`${i},plain ${i},${i * 3}`);
    }
    const p = file(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.join('\r\n'))]),
    );
    const src = await openCsv(p);
    const { readRawBatches } = await import('../../src-main/io/csv-batches');
    const marks: number[] = [];
    const ranges: { line: number; lineEnd: number }[] = [];
    const stats = { rowsRead: 0, rowsRejected: 0, blankLines: 0, bytesRead: 0 };
    const read = src.read!;
    const raws = readRawBatches(
      src.info,
      stats,
      read.quote,
      read.bomBytes,
      read.stamp,
      {},
      () => undefined,
      100,
    );
    for await (const raw of raws) {
      marks.push(...(raw.marks ?? []));
      for (let i = 0; i < raw.length; i += 7)
        ranges.push({ line: raw.line[i], lineEnd: raw.lineEnd[i] });
    }
    expect(marks.length).toBeGreaterThan(40);
    const fromStart = await readRawLines(src.info, ranges);
    const fromMarks = await readRawLines(src.info, ranges, marks);
    expect(fromStart.size).toBe(new Set(ranges.map((r) => r.line)).size);
    expect([...fromMarks].sort((a, b) => a[0] - b[0])).toEqual(
      [...fromStart].sort((a, b) => a[0] - b[0]),
    );
    // Rows over two lines were among them, read whole.
    expect(
      [...fromMarks.values()].filter((v) => v.includes('"two\r\nlines')).length,
    ).toBeGreaterThan(3);
  });
});
