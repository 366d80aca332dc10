// The ABI (NODE_MODULE_VERSION) a native addon was built for and the one an Electron needs: a
// build made against the wrong headers loads nowhere but says so only when the app opens it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The ABI the addon at `file` registers itself for (its node_register_module_v<ABI> symbol), or
 * undefined for an addon that does not say (Node-API addons are ABI-stable).
 * @example addonAbi('node_modules/better-sqlite3/build/Release/better_sqlite3.node') // '115' on Node 20
 */
export function addonAbi(file) {
  const m = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'));
  return m?.[1];
}

/** The ABI of the Electron package installed at `dir`, from its abi_version file. */
export function electronAbi(dir) {
  try {
    return readFileSync(join(dir, 'abi_version'), 'utf8').trim();
  } catch {
    return undefined;
  }
}
