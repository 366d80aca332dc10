// Builds the `sluice` command and its pipeline worker into out/cli (npm run build runs it after
// electron-vite; npm run build:cli alone): one ES module bundle each, sharing chunks, with source
// maps, so that neither compiles TypeScript when it starts.
//
//   out/cli/sluice.mjs         the CLI (src-main/cli/entry.ts)
//   out/cli/worker-entry.mjs   the pipeline worker (src-main/orchestrator/pipeline-worker.ts)
//   out/cli/chunk-*.mjs        code they share, and what commands load only when they run
//   out/cli/build.json         when it was built and from which files (src-main/launch.mjs)
//   out/cli/meta.json          esbuild's metafile: which sources each output file holds
//
// Everything sits in one folder two levels under the root, as src-main/cli does: code that finds
// a file relative to its own module (import.meta.url) finds the same file from a chunk here as
// from its source: the worker pool its sibling worker-entry.mjs (here the built worker, in the
// sources the one that loads them through tsx), the bench its sibling sluice.mjs, the server
// ../../out/renderer, the bench ../../resources. Packages stay external: node_modules is there
// at run time anyway, and better-sqlite3 (native), pg and the lazily loaded exceljs and vega are
// loaded as Node loads them.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'out', 'cli');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** Pure JavaScript loaded at every start, which loads faster from a bundle than as files. */
const BUNDLED = ['commander', 'yaml', 'zod'];
const EXTERNAL = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.includes(d));

/** Builds out/cli; resolves with the files the bundles were made from (relative to the root). */
export async function buildCli() {
  const builtAt = Date.now();
  // The stamp goes first and comes back last: a half-written folder is never taken as built.
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      sluice: 'src-main/cli/entry.ts',
      'worker-entry': 'src-main/orchestrator/pipeline-worker.ts',
    },
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: EXTERNAL,
    // commander is CommonJS and requires Node's modules: give the chunks a require to do it with.
    banner: {
      js: "import { createRequire as __sluiceRequire } from 'node:module'; const require = __sluiceRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  // Our files, and for each bundled package its package.json (which a new version replaces).
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/')),
    ...BUNDLED.map((p) => `node_modules/${p}/package.json`),
    relative(ROOT, fileURLToPath(import.meta.url)),
  ].sort();
  // What went into each file (for tests/cli/built-cli.test.ts, and `esbuild --analyze`-style
  // questions: why is this chunk loaded?).
  writeFileSync(join(OUT, 'meta.json'), JSON.stringify(result.metafile));
  writeFileSync(join(OUT, 'build.json'), JSON.stringify({ builtAt, inputs }, null, 1) + '\n');
  return inputs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t = performance.now();
  const inputs = await buildCli();
  process.stdout.write(
    `out/cli: the sluice command and its worker, from ${inputs.length} files in ${Math.round(performance.now() - t)} ms\n`,
  );
}
