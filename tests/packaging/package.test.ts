/**
 * electron-builder packages the real built app with the real electron-builder.yml, and the
 * result holds what it should and nothing else. The Electron binary cannot be downloaded here,
 * so `electronDist` points at a stub `electron` that carries Electron's fuse wire: the `dir`
 * target then runs offline, and electron-builder's fuse step really flips the wire, which is
 * read back with @electron/fuses. The Electron build of better-sqlite3 that `npm run app:prepare`
 * makes cannot be made here (no Electron headers), so SLUICE_ELECTRON_NATIVE_DIR names a folder
 * holding a marked stand-in, and the test checks that the app got that file, not node_modules'
 * Node build; everything else is the shipped configuration.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extractAll } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Arch, build, Packager, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, snippet } from '../helpers/docs';
import { tempDir } from '../helpers/tmp';
import { PACKAGED_SQLITE_ADDON } from '../../src-main/app/native';
import { asarEntries, readAsarFile, type AsarEntry } from './asar';

/** Where @electron/fuses finds the wire, and the two states a fuse can be in on it. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const WIRE_VERSION = 1;
const DISABLE = '0'.charCodeAt(0);
const ENABLE = '1'.charCodeAt(0);
/** Electron's own defaults, so each fuse the config sets has to be flipped to pass. */
const DEFAULT_WIRE: Record<FuseV1Options, number> = {
  [FuseV1Options.RunAsNode]: ENABLE,
  [FuseV1Options.EnableCookieEncryption]: DISABLE,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: ENABLE,
  [FuseV1Options.EnableNodeCliInspectArguments]: ENABLE,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: DISABLE,
  [FuseV1Options.OnlyLoadAppFromAsar]: DISABLE,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: DISABLE,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: ENABLE,
};

interface PackageJson {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
/** Runtime dependencies of the CLI only, left out of the app by electron-builder.yml. */
const CLI_ONLY = ['tsx', 'esbuild'];

/** A folder holding an `electron` that is a shell script with a fuse wire in it. */
function stubElectronDist(): string {
  const dist = tempDir('sluice-electron-dist-');
  const fuses = Object.values(DEFAULT_WIRE);
  writeFileSync(
    join(dist, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "a stub of Electron for packaging tests" >&2\nexit 1\n'),
      Buffer.from(SENTINEL, 'ascii'),
      Buffer.from([WIRE_VERSION, fuses.length, ...fuses]),
      Buffer.from('\n'),
    ]),
    { mode: 0o755 },
  );
  return dist;
}

/** The newest modification time of the files under `dir`. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((max, e) => Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
}

/** Fails unless out/ holds a build of the current sources (npm test builds before vitest). */
function checkBuilt(): void {
  const main = join(ROOT, 'out', 'main', 'index.js');
  if (!existsSync(main)) throw new Error('the app is not built: run npm run build first');
  const built = statSync(main).mtimeMs;
  const sources = Math.max(
    ...['src-main', 'src-shared', 'src-renderer'].map((d) => newest(join(ROOT, d))),
  );
  if (sources > built)
    throw new Error('out/ is older than the sources: run npm run build before packaging');
}

/**
 * Every package a runtime dependency needs, found as Node finds them (the nearest node_modules
 * up from the package that asks): their folders relative to the root, as laid out in the asar.
 */
function runtimeClosure(): string[] {
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    for (let dir = from; ; dir = join(dir, '..')) {
      const folder = join(dir, 'node_modules', name);
      if (existsSync(join(folder, 'package.json'))) {
        if (seen.has(folder)) return;
        seen.add(folder);
        const p = JSON.parse(
          readFileSync(join(folder, 'package.json'), 'utf8'),
        ) as Partial<PackageJson>;
        for (const dep of Object.keys({ ...p.dependencies, ...p.optionalDependencies }))
          visit(dep, folder);
        return;
      }
      if (dir === ROOT) return; // an optional dependency not installed on this OS
    }
  };
  for (const dep of Object.keys(pkg.dependencies)) if (!CLI_ONLY.includes(dep)) visit(dep, ROOT);
  return [...seen].map((folder) => relative(ROOT, folder));
}

/** The package name at the end of a node_modules path. */
const packageName = (path: string): string => path.replace(/^.*node_modules\//, '');

const packageManager = Packager.prototype.getPackageManager;
afterAll(() => {
  Packager.prototype.getPackageManager = packageManager;
});

let appOutDir: string;
/** The stand-in for .electron-native/better_sqlite3.node: Node's build with a marker after it. */
let electronAddon: Buffer;
const NODE_ADDON = join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
let entries: AsarEntry[];
let paths: Set<string>;

beforeAll(async () => {
  checkBuilt();
  // The icons are build output; `npm run package` makes them the same way first.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'icons.mjs')], { cwd: ROOT });

  // In a git worktree whose node_modules is a link to another checkout's, `npm ls` cannot read
  // the tree (every package is "extraneous" and nested dependencies lose their paths), so
  // electron-builder's npm collector misses pg-pool, bindings and the like (and, with
  // allowMissingDependencies off, stops). Its own traversal of node_modules reads links
  // correctly; a normal checkout keeps npm, as `npm run package` does.
  if (lstatSync(join(ROOT, 'node_modules')).isSymbolicLink())
    Packager.prototype.getPackageManager = () => Promise.resolve('traversal' as never);

  // electron-builder reads electron-builder.yml itself and merges these few overrides into it.
  const output = tempDir('sluice-package-');
  const native = tempDir('sluice-electron-native-');
  electronAddon = Buffer.concat([readFileSync(NODE_ADDON), Buffer.from('built for Electron')]);
  writeFileSync(join(native, 'better_sqlite3.node'), electronAddon);
  const before = process.env.SLUICE_ELECTRON_NATIVE_DIR;
  // electron-builder joins a file set's `from` to the project folder, absolute or not.
  process.env.SLUICE_ELECTRON_NATIVE_DIR = relative(ROOT, native);
  const started = Date.now();
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    publish: 'never',
    config: { directories: { output }, electronDist: stubElectronDist() },
  }).finally(() => {
    if (before === undefined) delete process.env.SLUICE_ELECTRON_NATIVE_DIR;
    else process.env.SLUICE_ELECTRON_NATIVE_DIR = before;
  });
  appOutDir = join(output, 'linux-unpacked');
  entries = asarEntries(join(appOutDir, 'resources', 'app.asar'));
  paths = new Set(entries.map((e) => e.path));

  // For the note on issue #15: what the unpacked app weighs and what its archive holds.
  const bytes = readdirSync(appOutDir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
  const top = entries.filter((e) => !e.path.includes('/')).map((e) => e.path + (e.dir ? '/' : ''));
  const modules = entries.filter((e) => /^node_modules\/(@[^/]+\/)?[^/@]+$/.test(e.path));
  console.log(
    `packaged in ${((Date.now() - started) / 1000).toFixed(1)} s; unpacked app (without the ` +
      `Electron binary, stubbed here): ${(bytes / 1024 / 1024).toFixed(1)} MiB; app.asar top ` +
      `level: ${top.join(', ')}; node_modules: ${modules.map((e) => e.path.slice(13)).join(', ')}`,
  );
}, 300_000);

describe('npm run package', () => {
  it('flips every Electron fuse electron-builder.yml sets, in the packaged executable', async () => {
    const wire = await getCurrentFuseWire(join(appOutDir, 'sluice'));
    expect(wire.version).toBe(String(WIRE_VERSION));
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
    // The ones the config leaves alone keep Electron's defaults.
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(ENABLE);
  });

  it('packs the built app and every runtime dependency into app.asar', () => {
    for (const file of [
      'package.json',
      'out/main/index.js',
      'out/main/worker.js',
      'out/preload/index.js',
      'out/renderer/index.html',
    ])
      expect(paths, file).toContain(file);
    const packed = JSON.parse(
      readAsarFile(join(appOutDir, 'resources', 'app.asar'), 'package.json').toString('utf8'),
    ) as PackageJson;
    expect(packed.main).toBe(pkg.main);
    // Every runtime dependency the app imports, and what those need in turn (a module missing
    // here fails only when the installed app first imports it).
    // electron-builder may hoist a nested copy (where the top one is a devDependency): each
    // package must be found as Node finds it, from where its dependent was packed.
    const asar = join(appOutDir, 'resources', 'app.asar');
    const versionOf = (read: () => string): string =>
      (JSON.parse(read()) as { version: string }).version;
    const packedAt = (from: string, name: string): string | undefined => {
      for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
        const at = `${dir ? `${dir}/` : ''}node_modules/${name}`;
        if (paths.has(`${at}/package.json`)) return at;
        if (!dir) return undefined;
      }
    };
    for (const folder of runtimeClosure()) {
      // node_modules/a/node_modules/b -> packed a, then b as Node resolves it from there.
      const chain = folder.split(/\/?node_modules\//).filter(Boolean);
      let at = '';
      for (const name of chain) {
        const found = packedAt(at, name);
        expect(found, `${folder}: ${name} is not packed where it can be found`).toBeDefined();
        at = found!;
      }
      // Our own dependencies at their versions; what they need, as electron-builder chose.
      if (chain.length === 1 && chain[0] in pkg.dependencies)
        expect(
          versionOf(() => readAsarFile(asar, `${at}/package.json`).toString('utf8')),
          folder,
        ).toBe(versionOf(() => readFileSync(join(ROOT, folder, 'package.json'), 'utf8')));
    }
    for (const name of [
      'better-sqlite3',
      'bindings',
      'pg',
      'pg-pool',
      'pg-protocol',
      'zod',
      'yaml',
    ])
      expect(paths, name).toContain(`node_modules/${name}/package.json`);
  });

  it('packs modules that load: the reports’ Excel writer and charts, from the archive as packed', () => {
    // Node's resolution over the packed tree (extracted), as Electron's over the archive.
    const tree = tempDir('sluice-asar-');
    extractAll(join(appOutDir, 'resources', 'app.asar'), tree);
    const probe = `
      const ExcelJS = require('exceljs');
      new ExcelJS.stream.xlsx.WorkbookWriter({ filename: require('path').join(process.argv[1], 'w.xlsx') });
      Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => {
        const spec = vl.compile({ data: { values: [{ a: 1 }] }, mark: 'bar', encoding: { y: { field: 'a', type: 'quantitative' } } }).spec;
        return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
      }).then((svg) => process.stdout.write(svg.startsWith('<svg') ? 'ok' : 'no svg'));`;
    const out = execFileSync(process.execPath, ['-e', probe, tree], {
      cwd: tree,
      encoding: 'utf8',
    });
    expect(out).toBe('ok');
  });

  it("ships the Electron build of better-sqlite3 beside the archive, and not Node's build", () => {
    // At the path the packaged main process names as nativeBinding (src-main/app/native.ts).
    const file = join(appOutDir, 'resources', PACKAGED_SQLITE_ADDON);
    expect(readFileSync(file).equals(electronAddon)).toBe(true);
    expect(readFileSync(NODE_ADDON).equals(electronAddon)).toBe(false);
    // Node's build is not shipped: loaded by Electron, it would fail at the first store.
    expect(paths).not.toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    // No native code packed inside the archive, where it could not load.
    expect(entries.filter((e) => e.path.endsWith('.node') && !e.unpacked)).toEqual([]);
  });

  it('leaves out sources, tests, scripts, TypeScript, source maps and devDependencies', () => {
    const files = [...paths];
    expect(
      files.filter((p) =>
        /^(src-main|src-shared|src-renderer|tests|scripts|config|docs|resources)(\/|$)/.test(p),
      ),
    ).toEqual([]);
    expect(files.filter((p) => /\.(ts|tsx|mts|cts|map)$/.test(p))).toEqual([]);
    // The sluice command's bundle is the CLI's, not the app's (which runs out/main).
    expect(files.filter((p) => p.startsWith('out/cli'))).toEqual([]);
    // Native sources and build leftovers: only the built addon is needed to run.
    expect(files.filter((p) => /\.(c|cc|cpp|h|a|o|gyp|gypi|mk)$/.test(p))).toEqual([]);
    expect(
      files.filter(
        (p) => !p.includes('/') && !['out', 'node_modules', 'native', 'package.json'].includes(p),
      ),
    ).toEqual([]);
    const needed = new Set(runtimeClosure().map(packageName));
    const dev = Object.keys(pkg.devDependencies).filter((d) => !needed.has(d));
    expect(dev).toEqual(
      expect.arrayContaining([
        'electron',
        'vite',
        'react',
        'typescript',
        'vitest',
        'electron-builder',
      ]),
    );
    expect(dev.filter((d) => paths.has(`node_modules/${d}`))).toEqual([]);
    // The CLI's TypeScript loader: a runtime dependency of the CLI, not of the app.
    for (const name of CLI_ONLY) expect(paths).not.toContain(`node_modules/${name}`);
    expect(files.filter((p) => p.startsWith('node_modules/@esbuild'))).toEqual([]);
  });

  it('ships the markdown docs as resources/docs, for Help → Documentation', () => {
    const docs = join(appOutDir, 'resources', 'docs');
    const md = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    expect(md.length).toBeGreaterThan(5);
    expect(
      readdirSync(docs)
        .filter((f) => f.endsWith('.md'))
        .sort(),
    ).toEqual(md.sort());
    for (const image of readdirSync(join(ROOT, 'docs', 'images')))
      expect(existsSync(join(docs, 'images', image)), image).toBe(true);
  });

  it('is the command docs/desktop.md gives, and the app gets no rebuild of node_modules', () => {
    const commands = snippet('desktop-package')
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm run package', 'npm run package:dir']);
    expect(pkg.scripts.package).toBe('node scripts/package.mjs');
    expect(pkg.scripts['package:dir']).toBe('node scripts/package.mjs --dir');
    // electron-builder would rebuild better-sqlite3 in node_modules for Electron, and the CLI
    // and the tests would then load a build for the wrong runtime.
    expect(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')).toMatch(
      /^npmRebuild: false$/m,
    );
  });
});
