/**
 * The record scanner against the one it replaced (tests/helpers/csv-scan-before.ts): on tricky
 * CSV text (quotes, doubled quotes, CRLF, lone CR, spaces after quotes, multibyte text), cut at
 * any point and with or without the end of the file, both give the same statuses, records,
 * fields, line breaks and problems.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvScanner } from '../../src-main/io/csv-scan';
import { CsvScannerBefore } from '../helpers/csv-scan-before';
import { fuzz } from '../helpers/fuzz';

interface Step {
  status: string | null;
  start?: number;
  fields?: string[];
  contentEnd?: number;
  end?: number;
  breaks?: number;
  problem?: string;
  problemAt?: number;
  line?: { contentEnd: number; end: number };
}

/** Every record of `text` as the caller reads it: broken ones skipped past their line. */
function scanAll(make: () => CsvScanner | CsvScannerBefore): Step[] {
  const s = make();
  const out: Step[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    const status = s.next();
    if (status === null || status === 'incomplete') {
      out.push({ status });
      break;
    }
    if (status === 'broken') {
      const line = s.lineAfter(s.problemAt);
      out.push({ status, start: s.start, problem: s.problem, problemAt: s.problemAt, line });
      s.pos = line.end;
      continue;
    }
    out.push({
      status,
      start: s.start,
      fields: s.fields,
      contentEnd: s.contentEnd,
      end: s.end,
      breaks: s.breaks,
    });
  }
  return out;
}

const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(',', ';', '\t', '|', '"', '""', ' ', "'") },
  { weight: 3, arbitrary: fc.constantFrom('\n', '\r\n', '\r') },
  { weight: 3, arbitrary: fc.constantFrom('a', 'id', '12', '3.5', 'é', '€', '😀', '\uFFFD', '\0') },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
);

describe('CsvScanner', () => {
  it('scans as the scanner before it did, on tricky text cut anywhere', async () => {
    await fuzz(
      'CsvScanner vs before',
      fc.property(
        fc.array(token, { maxLength: 60 }).map((ts) => ts.join('')),
        fc.nat(),
        fc.boolean(),
        fc.constantFrom(',', ';', '\t', '|'),
        fc.constantFrom('"', "'"),
        (whole, cutAt, eof, d, q) => {
          const text = eof ? whole : whole.slice(0, cutAt % (whole.length + 1));
          const now = scanAll(() => new CsvScanner(text, eof, d, q));
          const before = scanAll(() => new CsvScannerBefore(text, eof, d, q));
          expect(now).toEqual(before);
        },
      ),
      2000,
    );
  });

  it('gives fields as offsets, with doubled quotes flagged', () => {
    const s = new CsvScanner('a,"b ""c""",\r\nx', false, ',', '"');
    expect(s.next()).toBe('row');
    expect(s.count).toBe(3);
    expect([s.fieldStart[1], s.fieldEnd[1], s.fieldEscaped[1]]).toEqual([3, 10, 1]);
    expect(s.fields).toEqual(['a', 'b "c"', '']);
    expect([s.contentEnd, s.end]).toEqual([12, 14]);
    expect(s.next()).toBe('incomplete');
  });

  it('takes records with many fields', () => {
    const line = Array.from({ length: 500 }, (_, i) => `f${i}`).join(',');
    const s = new CsvScanner(line + '\n', true, ',', '"');
    expect(s.next()).toBe('row');
    expect(s.fields).toEqual(line.split(','));
  });
});
