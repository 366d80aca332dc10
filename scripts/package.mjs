#!/usr/bin/env node
// npm run package [-- --dir]: build, make the icons, prepare better-sqlite3 for Electron, then
// electron-builder for this OS, never publishing. The app's better-sqlite3 is the Electron build
// app:prepare made and checked in .electron-native (electron-builder.yml takes it from
// SLUICE_ELECTRON_NATIVE_DIR), so node_modules keeps Node's build for the CLI and the tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE = process.env.SLUICE_ELECTRON_NATIVE_DIR || join(ROOT, '.electron-native');
const extra = process.argv.slice(2);
// The addon is built for this machine only: packaging for another OS or architecture would ship
// one that cannot load.
const PLATFORM_FLAGS = {
  '--linux': 'linux',
  '-l': 'linux',
  '--win': 'win32',
  '--windows': 'win32',
  '-w': 'win32',
  '--mac': 'darwin',
  '--macos': 'darwin',
  '-m': 'darwin',
};
const ARCH_FLAGS = ['--x64', '--ia32', '--arm64', '--armv7l', '--universal'];
const otherTarget = extra.find(
  (a) =>
    (a in PLATFORM_FLAGS && PLATFORM_FLAGS[a] !== process.platform) ||
    (ARCH_FLAGS.includes(a) && a !== `--${process.arch}`),
);
if (otherTarget) {
  console.error(
    `sluice: packaging builds for this ${process.platform}-${process.arch} only (better-sqlite3 is built here for Electron); ${otherTarget} needs a build on that system.`,
  );
  process.exit(1);
}

function step(what, command, args, env = process.env) {
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`sluice: packaging stopped: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

const node = process.execPath;
step('the build', node, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
step('the icons', node, [join(ROOT, 'scripts/icons.mjs')]);
step('better-sqlite3 for Electron (npm run app:prepare)', node, [
  join(ROOT, 'scripts/prepare-app.mjs'),
  '--addon-only',
]);
const stamp = JSON.parse(readFileSync(join(NATIVE, 'build.json'), 'utf8'));
if (
  stamp.platform !== process.platform ||
  stamp.arch !== process.arch ||
  !existsSync(join(NATIVE, 'better_sqlite3.node'))
) {
  console.error(
    `sluice: packaging stopped: ${NATIVE} holds better-sqlite3 for ${stamp.platform}-${stamp.arch}, not this ${process.platform}-${process.arch}; run npm run app:prepare -- --force`,
  );
  process.exit(1);
}
step(
  'electron-builder',
  node,
  [join(ROOT, 'node_modules/electron-builder/cli.js'), '--publish', 'never', ...extra],
  // electron-builder joins a file set's `from` to the project folder, absolute or not.
  { ...process.env, SLUICE_ELECTRON_NATIVE_DIR: relative(ROOT, NATIVE) },
);
