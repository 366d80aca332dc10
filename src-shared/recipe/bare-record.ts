/**
 * Maps keyed by user data (column names, cell values, connection names): a plain object
 * answers `constructor` or `toString` with Object.prototype's members, and a column may be
 * called any of these. Apart from user-record.ts (their zod schema), so that code that only
 * builds and reads such maps (the engine, on a run's threads) does not load zod.
 */

/** An object without a prototype: every key, `__proto__` included, is an own data property. */
export function bareRecord<V>(entries: Iterable<readonly [string, V]> = []): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** The value at an own key of `rec`, never an inherited member. */
export function ownValue<V>(rec: Record<string, V> | null | undefined, key: string): V | undefined {
  return rec != null && Object.hasOwn(rec, key) ? rec[key] : undefined;
}
