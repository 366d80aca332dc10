/** A key check in plain words: the import card and `sluice inspect --key` say it alike. */
import type { KeyCheck } from './api/contract';

const n = (x: number): string => x.toLocaleString('en-US');
const rows = (x: number): string => `${n(x)} ${x === 1 ? 'row' : 'rows'}`;

/** A key's value as a person reads it: "366000 / 1", "(empty)" for a null. */
export function keyValue(values: (string | null)[]): string {
  return values.map((v) => (v === null || v === '' ? '(empty)' : v)).join(' / ');
}

/**
 * "unique over all 62,884 rows", or "36,558 rows repeat a key (e.g. 366001 on 2 rows): …".
 * `fileRows`: the rows of the file, to say how many earlier steps reject before the check.
 */
export function keyCheckWords(c: KeyCheck, fileRows?: number): { unique: boolean; words: string } {
  const before =
    fileRows !== undefined && fileRows > c.rows
      ? ` (${rows(fileRows - c.rows)} rejected by earlier steps never reach it)`
      : '';
  if (c.duplicate_rows === 0)
    return { unique: true, words: `unique over all ${rows(c.rows)}${before}` };
  const e = c.example;
  return {
    unique: false,
    words:
      `${rows(c.duplicate_rows)} ${c.duplicate_rows === 1 ? 'repeats' : 'repeat'} a key` +
      (e ? ` (e.g. ${keyValue(e.values)} on ${rows(e.rows)})` : '') +
      `: de-duplication keeps the first of each${before}`,
  };
}
