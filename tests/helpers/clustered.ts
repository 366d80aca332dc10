/** Whether each value of `values` sits on consecutive rows only (no value comes back later). */
export function clustered<T>(values: T[]): boolean {
  const done = new Set<T>();
  for (let r = 1; r < values.length; r++)
    if (values[r] !== values[r - 1]) {
      done.add(values[r - 1]);
      if (done.has(values[r])) return false;
    }
  return true;
}
