/** CSV text for exports, the same in the engine and the window. */

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Quotes and protects one text cell. */
export function csvCell(v: string, delimiter: string, protect: boolean): string {
  if (protect && v.length > 0) {
    const c = v.charCodeAt(0);
    // = + - @ \t \r
    if (
      (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) &&
      !PLAIN_NUMBER.test(v)
    )
      v = "'" + v;
  }
  if (v.includes('"')) return '"' + v.replace(/"/g, '""') + '"';
  if (v.includes(delimiter) || v.includes('\n') || v.includes('\r')) return '"' + v + '"';
  return v;
}

/** One CSV line of text cells, comma-separated and formula-protected; null and undefined are empty. */
export function csvRow(cells: (string | number | null | undefined)[]): string {
  return cells.map((c) => (c == null ? '' : csvCell(String(c), ',', true))).join(',') + '\n';
}
