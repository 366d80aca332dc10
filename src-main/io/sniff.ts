/** Guesses the delimiter, line break and header row from the first part of a file's text. */
import { DELIMITERS } from '../../src-shared/delimiters';
import type { Delimiter } from '../../src-shared/vocabulary';
import { scanRows } from './csv-scan';

export function detectNewline(sample: string, quote = '"'): '\n' | '\r\n' | '\r' {
  let inQuotes = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i];
    if (c === quote) inQuotes = !inQuotes;
    else if (!inQuotes && c === '\r') return sample[i + 1] === '\n' ? '\r\n' : '\r';
    else if (!inQuotes && c === '\n') return '\n';
  }
  return '\n';
}

/** The delimiter that splits the sample rows into the most consistent number of fields (> 1). */
export function sniffDelimiter(sample: string, quote = '"', eof = false): Delimiter {
  // Only complete records count: the sample may end in the middle of one.
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const rows = scanRows(sample, d, quote, { eof, limit: 50 });
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let mode = 1;
    let modeN = 0;
    for (const [len, n] of counts)
      if (n > modeN || (n === modeN && len > mode)) [mode, modeN] = [len, n];
    if (mode < 2) continue;
    const score = modeN / rows.length + Math.min(mode, 50) / 1000;
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

const TYPED = /^\s*([+-]?[$€£]?\s*[\d.,]+%?|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}.*|true|false)\s*$/i;

/**
 * Is the first row a header? Votes per column: a header cell that is text above data that is
 * numbers or dates says yes; a header cell that looks like data says no. Text over text is read
 * as a header when the first row's cells do not repeat below. A header may repeat a name or
 * leave one empty (`id,id,,amount`: the reader makes the names unique), so those cells do not
 * vote; but a first row that is mostly empty or mostly repeats is data.
 */
export function sniffHeader(rows: string[][]): boolean {
  if (rows.length === 0) return true;
  const [first, ...rest] = rows;
  const named = first.map((c) => c.trim()).filter((c) => c !== '');
  if (named.length * 2 < first.length || new Set(named).size * 2 < named.length) return false;
  if (rest.length === 0) return named.every((c) => !TYPED.test(c));
  let votes = 0;
  first.forEach((cell, ci) => {
    if (cell.trim() === '') return;
    const below = rest.map((r) => r[ci] ?? '').filter((v) => v !== '');
    if (TYPED.test(cell)) votes -= 1;
    else if (below.length > 0 && below.filter((v) => TYPED.test(v)).length >= below.length * 0.8)
      votes += 1;
    else if (below.includes(cell)) votes -= 1;
  });
  return votes >= 0;
}
