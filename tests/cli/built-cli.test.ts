/**
 * The built `sluice` (out/cli, scripts/build-cli.mjs) run as an installed one runs: plain `node`
 * on the bundle, no tsx anywhere, every module the process and its worker threads load logged
 * (tests/helpers/load-log). `--version` and `--help` load no engine, driver or zod; a run works
 * and its pipelines run on the built worker; what commands load late (the report's charts and
 * workbook, the served UI, the example project) is found from the bundle's folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src-shared/recipe/result';
import { builtEntry } from '../../src-main/launch.mjs';
import { ROOT } from '../helpers/run';
import { tempDir } from '../helpers/tmp';

const OUT = join(ROOT, 'out', 'cli');
const BIN = join(OUT, 'sluice.mjs');
const REGISTER = join(ROOT, 'tests', 'helpers', 'load-log', 'register.mjs');

interface Meta {
  outputs: Record<
    string,
    { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }
  >;
}

interface Loaded {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every module URL the process and its workers resolved. */
  urls: string[];
}

/** The environment of a user's shell: nothing that would preload a loader. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  delete env.SLUICE_FROM_SOURCES;
  return env;
}

/** `node out/cli/sluice.mjs args`, with what it loads logged. */
function built(args: string[], cwd = ROOT): Loaded {
  const log = join(tempDir('sluice-load-log-'), 'loaded.txt');
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', REGISTER, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: plainEnv({ LOAD_LOG: log }),
    maxBuffer: 64 << 20,
  });
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, urls };
}

/** The sources the loaded files of out/cli were built from (meta.json). */
function sourcesOf(urls: string[]): string[] {
  const meta = JSON.parse(readFileSync(join(OUT, 'meta.json'), 'utf8')) as Meta;
  const outDir = pathToFileURL(OUT).href + '/';
  const files = urls.filter((u) => u.startsWith(outDir)).map((u) => u.slice(outDir.length));
  return [
    ...new Set(
      files.flatMap((f) => Object.keys(meta.outputs[`out/cli/${f}`]?.inputs ?? { missing: 1 })),
    ),
  ];
}

/** What `--version` and `--help` must not load: the engine and layers under it, drivers, zod. */
const HEAVY =
  /src-main\/(engine|io\/(?!config-error|source-error|atomic-write)|sqlite|store\/(?!store-error)|sinks|orchestrator\/(?!run-request-error)|preview|reports|service|transports)\/|node_modules\/(zod|yaml)\//;

/** A process that must not have compiled TypeScript: no tsx, no esbuild, no .ts source. */
function expectNoTypeScript(urls: string[]): void {
  expect(urls.filter((u) => /tsx|esbuild|\.tsx?$/.test(u))).toEqual([]);
  expect(urls.filter((u) => u.includes('/src-main/'))).toEqual([]);
}

beforeAll(() => {
  // npm test (and npm run build) build it first; a stale bundle would test other code.
  if (!builtEntry('sluice.mjs'))
    throw new Error(
      'out/cli is missing or older than the sources: run npm run build:cli (npm test builds it)',
    );
});

describe('the built sluice command', () => {
  it('holds no TypeScript loader', () => {
    const files = readdirSync(OUT).filter((f) => f.endsWith('.mjs'));
    expect(files).toEqual(expect.arrayContaining(['sluice.mjs', 'worker-entry.mjs']));
    for (const f of files) {
      const text = readFileSync(join(OUT, f), 'utf8');
      expect(text, f).not.toMatch(/["']tsx(\/[^"']*)?["']/);
      // Source maps are kept beside each file, for debuggers and --enable-source-maps.
      expect(text, f).toContain(`//# sourceMappingURL=${f}.map`);
      expect(existsSync(join(OUT, `${f}.map`)), f).toBe(true);
    }
  });

  it('starts for --version and --help without the engine, the drivers or zod', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    const v = built(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const h = built(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: sluice');
    expect(h.stdout).toContain('bench');
    for (const r of [v, h]) {
      expectNoTypeScript(r.urls);
      // Nothing from node_modules at all (commander is bundled), so no pg, SQLite or zod.
      expect(r.urls.filter((u) => u.includes('node_modules'))).toEqual([]);
      const sources = sourcesOf(r.urls);
      expect(sources).toContain('src-main/cli/main.ts');
      expect(sources.filter((s) => HEAVY.test(s))).toEqual([]);
    }
  });

  it("loads a run's threads without zod, and the read-ahead thread without the drivers", () => {
    // A run reads only once its threads have loaded their code: zod alone took longer to load
    // than the rest of the read-ahead thread's, and half of the pool worker's. A thread's code
    // is the chunk of its module and what that imports.
    const meta = JSON.parse(readFileSync(join(OUT, 'meta.json'), 'utf8')) as Meta;
    const loads = (module: string): string[] => {
      const [entry] = Object.keys(meta.outputs).filter((f) => module in meta.outputs[f].inputs);
      const files = new Set<string>();
      const visit = (f: string): void => {
        if (files.has(f)) return;
        files.add(f);
        for (const i of meta.outputs[f].imports)
          if (i.kind === 'import-statement' && i.path in meta.outputs) visit(i.path);
      };
      visit(entry);
      return [...files].flatMap((f) => Object.keys(meta.outputs[f].inputs));
    };
    const ahead = loads('src-main/orchestrator/read-ahead-worker.ts');
    expect(ahead).toContain('src-main/engine/pipeline.ts');
    expect(ahead.filter((s) => /node_modules\/(zod|pg|better-sqlite3)\//.test(s))).toEqual([]);
    const pool = loads('src-main/orchestrator/pool-worker.ts');
    expect(pool).toContain('src-main/orchestrator/run-pipeline.ts');
    expect(pool.filter((s) => /node_modules\/zod\/|src-main\/preview\//.test(s))).toEqual([]);
  });

  it('imports and runs a CSV, its pipelines on the built worker, and reports it', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'orders.csv'),
      'id,name,amount\n1, Ada ,1.50\n2,Bob,2\n3,Cy,\n2,Bob,2\n',
    );
    writeFileSync(join(dir, 'stores.csv'), 'store,city\n1, Oslo\n2,Lima \n');
    const imported = built(['import', 'orders.csv', 'stores.csv', '--into', dir], dir);
    expect(imported.code, imported.stderr).toBe(0);
    expectNoTypeScript(imported.urls);

    const store = join(dir, 'store.db');
    const run = built(['run', dir, '--store', store, '--workers', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expectNoTypeScript(run.urls);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(report.status).toBe('succeeded');
    const byName = Object.fromEntries(report.pipelines.map((p) => [p.name, p]));
    expect(byName.orders).toMatchObject({ rowsIn: 4, rowsOut: 4 });
    expect(byName.stores).toMatchObject({ rowsIn: 2, rowsOut: 2 });
    // Trimmed, blanks to null, numbers cast: the steps ran.
    expect(readFileSync(join(dir, 'out', 'orders.csv'), 'utf8')).toBe(
      'id,name,amount\n1,Ada,1.5\n2,Bob,2\n3,Cy,\n2,Bob,2\n',
    );
    expect(readFileSync(join(dir, 'out', 'stores.csv'), 'utf8')).toBe(
      'store,city\n1,Oslo\n2,Lima\n',
    );
    // Each pipeline ran on a worker thread of the pool, started from the built worker.
    for (const p of report.pipelines) expect(p.worker).toEqual(expect.any(Number));
    const worker = pathToFileURL(join(OUT, 'worker-entry.mjs')).href;
    expect(run.urls.filter((u) => u === worker).length).toBeGreaterThanOrEqual(1);
    // The worker read, cleaned and wrote: the engine and the CSV writer were loaded from chunks.
    const sources = sourcesOf(run.urls);
    expect(sources).toEqual(
      expect.arrayContaining([
        'src-main/orchestrator/pipeline-worker.ts',
        'src-main/engine/pipeline.ts',
        'src-main/sinks/csv-sink.ts',
      ]),
    );

    // The report's lazily loaded parts: Vega for the HTML charts, ExcelJS for the workbook.
    for (const format of ['html', 'xlsx']) {
      const file = join(dir, `report.${format}`);
      const r = built(['report', report.runId, '--format', format, '--store', store, '-o', file]);
      expect(r.code, r.stderr).toBe(0);
      expectNoTypeScript(r.urls);
      expect(r.urls.some((u) => u.includes(format === 'html' ? '/vega/' : '/exceljs/'))).toBe(true);
    }
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Where the time went');
    expect(html).toContain('<svg');
    expect(readFileSync(join(dir, 'report.xlsx')).subarray(0, 2).toString()).toBe('PK');
  });

  it('finds the files beside the sources from its own folder: the example, the UI', async () => {
    // `demo` defaults to the example project, found relative to the code that names it.
    const demo = built(['demo', '--help']);
    expect(demo.stdout).toContain(join(ROOT, 'config', 'examples', 'global-electronics'));
    // `serve` serves the built UI from out/renderer.
    if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
      throw new Error('the UI is not built: run npm run build first (npm test does)');
    const dir = tempDir();
    writeFileSync(join(dir, 'sluice.yaml'), 'name: served\n');
    const server = spawn(
      process.execPath,
      [BIN, 'serve', dir, '--port', '0', '--store', join(dir, 'store.db')],
      {
        env: plainEnv({ SLUICE_HOME: tempDir(), SLUICE_API_KEY: 'built-key' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (d: Buffer) => {
          out += d;
          const m = /open:\s+(http:\/\/[^/\s]+)/.exec(out);
          if (m) resolve(m[1]);
        });
        server.on('close', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
      });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      const index = readFileSync(join(ROOT, 'out', 'renderer', 'index.html'), 'utf8');
      expect(await page.text()).toBe(index);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.on('close', r));
    }
  });
});

describe('which code `sluice` runs from a checkout (src-main/launch.mjs)', () => {
  /** A checkout with one source file, built at `builtAt`. */
  function checkout(builtAt: number): { root: string; source: string } {
    const root = tempDir();
    mkdirSync(join(root, 'out', 'cli'), { recursive: true });
    mkdirSync(join(root, 'src'));
    const source = join(root, 'src', 'a.ts');
    writeFileSync(source, 'export {};\n');
    writeFileSync(
      join(root, 'out', 'cli', 'build.json'),
      JSON.stringify({ builtAt, inputs: ['src/a.ts', 'src/gone.ts'] }),
    );
    return { root, source };
  }
  const at = (ms: number): Date => new Date(ms);

  it('the bundle, when every source it was built from is older than the build', () => {
    const { root, source } = checkout(Date.parse('2026-12-01T10:00:00Z'));
    utimesSync(
      source,
      at(Date.parse('2026-12-01T09:00:00Z')),
      at(Date.parse('2026-12-01T09:00:00Z')),
    );
    expect(builtEntry('sluice.mjs', root)).toBe(join(root, 'out', 'cli', 'sluice.mjs'));
    // SLUICE_FROM_SOURCES=1 asks for the sources anyway.
    process.env.SLUICE_FROM_SOURCES = '1';
    try {
      expect(builtEntry('sluice.mjs', root)).toBeNull();
    } finally {
      delete process.env.SLUICE_FROM_SOURCES;
    }
  });

  it('the sources, once one of them changed after the build, or before any build', () => {
    const { root, source } = checkout(Date.parse('2026-12-01T10:00:00Z'));
    utimesSync(
      source,
      at(Date.parse('2026-12-01T10:00:01Z')),
      at(Date.parse('2026-12-01T10:00:01Z')),
    );
    expect(builtEntry('worker-entry.mjs', root)).toBeNull();
    rmSync(join(root, 'out'), { recursive: true });
    expect(builtEntry('worker-entry.mjs', root)).toBeNull();
  });
});
