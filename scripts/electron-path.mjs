// Where the Electron executable is, found as node_modules/electron finds it but without its
// fallback of downloading one when it is missing (start.mjs and prepare-app.mjs ask).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Electron's executable inside its dist folder (node_modules/electron/install.js). */
const EXECUTABLE =
  { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ??
  'electron';

/**
 * The path of the Electron executable for the project at `root`: ELECTRON_EXEC_PATH (electron-vite's
 * own override), else in ELECTRON_OVERRIDE_DIST_PATH or node_modules/electron/dist. It may not exist.
 */
export function electronExecutable(root) {
  if (process.env.ELECTRON_EXEC_PATH) return process.env.ELECTRON_EXEC_PATH;
  const electron = join(root, 'node_modules/electron');
  const pathTxt = join(electron, 'path.txt');
  const name = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : EXECUTABLE;
  return join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electron, 'dist'), name);
}

/** Whether the executable comes from an override rather than node_modules/electron's download. */
export const electronOverridden = () =>
  Boolean(process.env.ELECTRON_EXEC_PATH || process.env.ELECTRON_OVERRIDE_DIST_PATH);
