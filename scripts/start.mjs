// npm start (electron-vite preview: build, then run the built app) and npm run dev (electron-vite
// dev: hot reload). Both first check what electron-vite would otherwise fail on with a stack
// trace, or try to download: the Electron binary, then better-sqlite3 built for Electron.
//
// npm start always builds: the build takes a few seconds, and a freshness check on file times
// could run stale code (a changed config, an env-dependent define) to save them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronExecutable } from './electron-path.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON = join(ROOT, 'node_modules/electron');
const NATIVE = join(ROOT, '.electron-native');
// npm run dev passes --dev; anything else is for Electron (`npm start -- ./my-project`).
const args = process.argv.slice(2);
const mode = args.includes('--dev') ? 'dev' : 'preview';
const rest = args.filter((a) => a !== '--dev');

function fail(line) {
  console.error(`sluice: ${line}`);
  process.exit(1);
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(ELECTRON, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** A path as the user would type it from the project root. */
function shown(path) {
  const r = relative(ROOT, path);
  return r.startsWith('..') || isAbsolute(r) ? path : r;
}

/** Whether .electron-native/ holds better-sqlite3 built for this Electron. */
function nativeReady(version) {
  try {
    const stamp = JSON.parse(readFileSync(join(NATIVE, 'build.json'), 'utf8'));
    return stamp.electron === version && existsSync(join(NATIVE, 'better_sqlite3.node'));
  } catch {
    return false;
  }
}

const version = electronVersion();
if (!version) fail('the electron package is not installed: run npm install');
const exe = electronExecutable(ROOT);
if (!existsSync(exe))
  fail(
    `the Electron ${version} binary is missing (no ${shown(exe)}): on a machine with internet run \`npm run app:prepare\` (or \`node node_modules/electron/install.js\`), or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${version}.`,
  );
if (!nativeReady(version)) {
  const prepared = spawnSync(process.execPath, [join(ROOT, 'scripts/prepare-app.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (prepared.status !== 0) process.exit(1);
}

// electron-vite forwards what follows `--` to Electron: `npm start -- ./my-project`.
const child = spawn(
  process.execPath,
  [
    join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
    mode,
    ...(rest.length ? ['--', ...rest] : []),
  ],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ELECTRON_EXEC_PATH: exe } },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
