// npm run app:prepare: builds better-sqlite3 for the installed Electron into .electron-native/,
// which the app loads in development (src-main/app/native.ts). node_modules keeps the Node build
// the CLI and the tests use. With --if-possible (npm's postinstall) a machine that cannot build
// it (offline, no compiler) gets one line saying what to run later, and the install carries on.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addonAbi, electronAbi } from './native-abi.mjs';
import { electronExecutable, electronOverridden } from './electron-path.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// Tests build elsewhere so a good .electron-native/ is never touched.
const OUT = process.env.SLUICE_ELECTRON_NATIVE_DIR || join(ROOT, '.electron-native');
const ADDON = join(OUT, 'better_sqlite3.node');
const STAMP = join(OUT, 'build.json');
const LOG = join(OUT, 'prepare.log');
const WORK = join(OUT, 'work');
const ifPossible = process.argv.includes('--if-possible');
const force = process.argv.includes('--force');
// Packaging needs only the addon: electron-builder fetches the Electron it packages itself.
const addonOnly = process.argv.includes('--addon-only');
/** A compile takes a minute or two; past this something waits on a network that never answers. */
const DEADLINE_MS = Number(process.env.SLUICE_PREPARE_TIMEOUT_MS) || 10 * 60_000;
/** How long --if-possible waits to learn whether Electron's headers can be downloaded at all. */
const PROBE_MS = 10_000;

/** Ends with one line: an error for app:prepare, a note and success for the postinstall. */
function stop(reason) {
  if (ifPossible) {
    console.log(
      `sluice: better-sqlite3 was not built for Electron (${reason}); the CLI and tests are unaffected. Run \`npm run app:prepare\` on a machine that can, before \`npm start\`.`,
    );
    process.exit(0);
  }
  console.error(`sluice: cannot build better-sqlite3 for Electron: ${reason}.`);
  process.exit(1);
}

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8'))
      .version;
  } catch {
    return undefined;
  }
}

/** Whether Electron's headers are cached or either download (headers, prebuilt addon) answers. */
async function reachable(electron) {
  if (existsSync(join(homedir(), '.electron-gyp', electron, 'include'))) return true;
  const urls = [
    `https://www.electronjs.org/headers/v${electron}/node-v${electron}-headers.tar.gz`,
    'https://github.com/WiseLibs/better-sqlite3/releases',
  ];
  const probe = (url) =>
    fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(PROBE_MS) }).then(
      () => true,
      () => false,
    );
  return (await Promise.all(urls.map(probe))).some(Boolean);
}

/**
 * This environment without npm's `nodedir`: node-gyp would take Node's headers from there instead
 * of Electron's and build, silently, for Node's ABI (it did, on a machine configured so).
 */
function buildEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'),
  );
}

/**
 * Runs `node args` at the root in a process group of its own, stopped at the deadline; resolves
 * to how it ended, its output written to `log`.
 */
function runLogged(args, log) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: buildEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    const timer = setTimeout(() => {
      chunks.push(Buffer.from(`\nstopped after ${DEADLINE_MS / 1000} s\n`));
      // The whole group: node-gyp's make and compilers would outlive their parent.
      try {
        if (process.platform === 'win32') child.kill();
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, DEADLINE_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString();
      writeFileSync(log, text);
      resolve({ ok: code === 0, timedOut: signal !== null, log: text });
    });
  });
}

/**
 * The Electron binary, downloaded by Electron's own install script when it is missing (Electron
 * fetches it on first use otherwise, which npm start does not allow). One line when it fails;
 * the exit status says so, and the better-sqlite3 build goes on regardless.
 */
async function electronBinary(electron) {
  const exe = electronExecutable(ROOT);
  if (existsSync(exe)) return;
  if (electronOverridden()) {
    console.error(
      `sluice: there is no Electron at ${exe} (ELECTRON_OVERRIDE_DIST_PATH, ELECTRON_EXEC_PATH).`,
    );
    process.exitCode = 1;
    return;
  }
  const log = join(OUT, 'electron.log');
  console.log(`sluice: downloading the Electron ${electron} binary (log: ${log})`);
  const result = await runLogged([join(ROOT, 'node_modules/electron/install.js')], log);
  if (result.ok && existsSync(electronExecutable(ROOT))) return;
  const reason = result.timedOut
    ? `it took longer than ${DEADLINE_MS / 1000} s`
    : NETWORK.test(result.log)
      ? "Electron's downloads cannot be reached"
      : 'the download failed';
  console.error(
    `sluice: cannot download the Electron ${electron} binary (${reason}); details in ${log}.`,
  );
  process.exitCode = 1;
}

/** What node-gyp, prebuild-install and @electron/get print when the network is not there. */
const NETWORK =
  /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|fetch failed/i;

/** A short reason for a failed build, from what node-gyp and prebuild-install printed. */
function why(result) {
  if (result.timedOut) return `it took longer than ${DEADLINE_MS / 1000} s`;
  const log = result.log;
  if (NETWORK.test(log)) return "Electron's headers cannot be downloaded";
  if (
    /find VS|find Python|not found: (make|g\+\+|cc|c\+\+)|command not found|No such file or directory.*(g\+\+|cc)/i.test(
      log,
    )
  )
    return 'no C++ compiler or build tools were found';
  return 'the build failed';
}

async function main() {
  const electron = version('electron');
  const sqlite = version('better-sqlite3');
  if (!electron || !sqlite)
    return stop('electron or better-sqlite3 is not installed in node_modules');
  const wanted = {
    electron,
    betterSqlite3: sqlite,
    platform: process.platform,
    arch: process.arch,
  };
  mkdirSync(OUT, { recursive: true });
  // The postinstall leaves the binary to this command: the CLI and the tests never need it.
  if (!ifPossible && !addonOnly) await electronBinary(electron);
  if (!force && existsSync(ADDON) && existsSync(STAMP)) {
    const had = JSON.parse(readFileSync(STAMP, 'utf8'));
    if (Object.entries(wanted).every(([k, v]) => had[k] === v)) {
      console.log(`sluice: better-sqlite3 for Electron ${electron} is ready in ${OUT}`);
      return;
    }
  }
  if (ifPossible && !(await reachable(electron)))
    return stop("Electron's headers cannot be downloaded");
  // A copy of the package without node_modules' Node build, rebuilt where nothing else looks.
  rmSync(WORK, { recursive: true, force: true });
  const src = join(ROOT, 'node_modules/better-sqlite3');
  cpSync(src, join(WORK, 'node_modules/better-sqlite3'), {
    recursive: true,
    filter: (p) => !p.startsWith(join(src, 'build')),
  });
  writeFileSync(
    join(WORK, 'package.json'),
    JSON.stringify({
      name: 'sluice-electron-native',
      private: true,
      dependencies: { 'better-sqlite3': sqlite },
    }),
  );
  console.log(`sluice: building better-sqlite3 ${sqlite} for Electron ${electron} (log: ${LOG})`);
  const result = await runLogged([join(ROOT, 'scripts/electron-rebuild.mjs'), WORK, electron], LOG);
  const built = join(WORK, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (!result.ok || !existsSync(built)) {
    rmSync(WORK, { recursive: true, force: true });
    return stop(`${why(result)}; details in ${LOG}`);
  }
  // Checked, as the app would only learn it from a dialog: "compiled against a different Node.js".
  const abi = addonAbi(built);
  const wantedAbi = electronAbi(join(ROOT, 'node_modules/electron'));
  if (wantedAbi && abi !== wantedAbi) {
    rmSync(WORK, { recursive: true, force: true });
    return stop(
      `the build came out for ABI ${abi ?? 'unknown'}, and Electron ${electron} needs ${wantedAbi}`,
    );
  }
  // Renamed into place, so the app never sees half a file.
  cpSync(built, `${ADDON}.tmp`);
  renameSync(`${ADDON}.tmp`, ADDON);
  writeFileSync(
    STAMP,
    JSON.stringify({ ...wanted, builtAt: new Date().toISOString() }, null, 2) + '\n',
  );
  rmSync(WORK, { recursive: true, force: true });
  console.log(`sluice: better-sqlite3 for Electron ${electron} is ready in ${OUT}`);
}

main().catch((e) => stop(e instanceof Error ? e.message : String(e)));
