/**
 * The built file `name` of out/cli (sluice.mjs, worker-entry.mjs) if it is current, else null.
 * `root` is the checkout (tests give another).
 */
export function builtEntry(name: string, root?: string): string | null;
