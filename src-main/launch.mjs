// Which code a `sluice` process and its pipeline workers run, from a checkout: the bundles in
// out/cli that `npm run build` makes (scripts/build-cli.mjs), when they were built from the
// sources as they are now; else the TypeScript sources, through tsx. So a clone works before
// any build, an edited source takes effect at once (never a stale bundle), and a built checkout
// (npm link, npm run sluice) starts without compiling anything.
//
// Built "from the sources as they are now": out/cli/build.json lists every file the bundles
// were made from and when the build began; a file modified since (an edit, a checkout) sends
// the process to the sources. SLUICE_FROM_SOURCES=1 sends it there anyway (to debug in the
// TypeScript).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/**
 * The built file `name` of out/cli (sluice.mjs, worker-entry.mjs) if it is current, else null.
 * `root` is the checkout (tests give another).
 */
export function builtEntry(name, root = ROOT) {
  if (process.env.SLUICE_FROM_SOURCES === '1') return null;
  const dir = join(root, 'out', 'cli');
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8'));
  } catch {
    return null; // not built (or being built: the stamp is written last)
  }
  // A source that is gone changed nothing by itself (what imported it changed, or nothing did);
  // without sources at all (a copy of out/cli and node_modules) the bundle is all there is.
  for (const file of stamp.inputs) {
    const st = statSync(join(root, file), { throwIfNoEntry: false });
    if (st && st.mtimeMs >= stamp.builtAt) return null;
  }
  return join(dir, name);
}
