/**
 * A count with its noun, in one place so the window never says "1 rows":
 * plural(1, 'row') → "1 row"; plural(62884, 'row') → "62,884 rows"; plural(2, 'match', 'matches').
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
