/** Plain-text tables for terminal output. */
export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [
    head,
    ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c))),
  ];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: (string | number)[]): string =>
    r
      .map((c, i) =>
        typeof rows[0]?.[i] === 'number'
          ? String(c).padStart(widths[i])
          : String(c).padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [
    line(cells[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}
