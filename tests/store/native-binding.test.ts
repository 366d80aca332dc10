/**
 * The native build of better-sqlite3 a process loads (SLUICE_SQLITE_BINDING, set by the desktop
 * app to its Electron build) reaches every database the store and the sinks open, in the main
 * thread and in the pipeline workers; a missing build is named, with the command that makes it.
 * Node's own build, copied elsewhere, stands in for the Electron one: it loads under Node.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src-main/io/recipe-load';
import { runProject } from '../../src-main/orchestrator/run-project';
import { SqliteSink } from '../../src-main/sinks/sqlite-sink';
import { SQLITE_BINDING_ENV } from '../../src-main/sqlite/binding';
import { openSqlite } from '../../src-main/sqlite/open';
import { openRunStore } from '../../src-main/store/open';
import { openStore } from '../../src-main/store/sqlite-store';
import { SqliteOutput } from '../../src-shared/recipe/pipeline';
import { makeProject } from '../helpers/project';
import { tempDir } from '../helpers/tmp';

const require = createRequire(import.meta.url);
const NODE_BUILD = join(
  require.resolve('better-sqlite3/package.json'),
  '..',
  'build/Release/better_sqlite3.node',
);
const rows = Array.from({ length: 500 }, (_, i) => `${i},v${i}`).join('\n');

/** A copy of Node's build in a folder of its own, as app:prepare leaves the Electron one. */
function copiedBuild(): string {
  const dir = join(tempDir(), 'electron-native');
  mkdirSync(dir);
  const file = join(dir, 'better_sqlite3.node');
  copyFileSync(NODE_BUILD, file);
  return file;
}

/** A project whose one pipeline loads small.csv into out/t.sqlite, on one worker. */
function sqliteProject(): string {
  return makeProject(
    {
      load: 'source: {path: small.csv}\noutputs:\n  - {kind: sqlite, path: out/t.sqlite, table: t, mode: full}\n',
    },
    { name: 'native', settings: 'workers: 1\n', smallCsv: `id,v\n${rows}\n` },
  );
}

afterEach(() => {
  delete process.env[SQLITE_BINDING_ENV];
});

describe('the SQLite native binding', () => {
  it('loads the build it names for the run store and for a SQLite load in a worker', async () => {
    const addon = copiedBuild();
    process.env[SQLITE_BINDING_ENV] = addon;
    const dir = sqliteProject();
    const project = await loadProject(dir);
    const store = openRunStore(project);
    try {
      // The main thread loaded the copy: Node keys loaded addons by their path.
      expect(Object.keys(require.cache)).toContain(addon);
      const report = await runProject(project, store, { notify: false });
      expect(report.status).toBe('succeeded');
      expect(report.pipelines[0].rowsOut).toBe(500);
      expect(store.getRun(report.runId)?.run.status).toBe('succeeded');
    } finally {
      store.close();
    }
    const out = openSqlite(join(dir, 'out', 't.sqlite'), { readonly: true });
    expect(out.prepare('SELECT count(*) AS n, max(v) AS top FROM t').get()).toEqual({
      n: 500,
      top: 'v99',
    });
    out.close();
  });

  it('reaches the pipeline workers: a build gone by the time they start fails the load, named', async () => {
    const addon = copiedBuild();
    process.env[SQLITE_BINDING_ENV] = addon;
    const dir = sqliteProject();
    const project = await loadProject(dir);
    const store = openRunStore(project); // loads the copy in this thread
    try {
      rmSync(addon);
      // A worker starts with this thread's environment and checks the file itself.
      const report = await runProject(project, store, { notify: false });
      expect(report.status).toBe('failed');
      const p = report.pipelines[0];
      expect(p.status).toBe('failed');
      expect(p.error?.message).toContain(addon);
      expect(p.error?.message).toContain('npm run app:prepare');
      expect(p.rowsOut).toBe(0);
    } finally {
      store.close();
    }
  });

  it('a missing build: the store and a SQLite sink refuse to open, naming the file and the command', () => {
    const missing = join(tempDir(), 'nowhere', 'better_sqlite3.node');
    process.env[SQLITE_BINDING_ENV] = missing;
    const dir = tempDir();
    expect(() => openStore(join(dir, 'store.db'))).toThrow(
      `cannot open the run store ${join(dir, 'store.db')}: better-sqlite3 built for Electron is missing: ${missing} (${SQLITE_BINDING_ENV}) does not exist; run npm run app:prepare`,
    );
    const sink = new SqliteSink(
      join(dir, 'out.sqlite'),
      SqliteOutput.parse({ kind: 'sqlite', table: 't' }),
      () => {},
      () => {},
    );
    expect(() => sink.open([{ name: 'id', type: 'int' }])).toThrow(
      `${missing} (${SQLITE_BINDING_ENV}) does not exist; run npm run app:prepare`,
    );
  });

  it('unset: better-sqlite3 loads its own build from node_modules, as the CLI and tests do', () => {
    const db = openSqlite(':memory:');
    expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    db.close();
    expect(Object.keys(require.cache)).toContain(NODE_BUILD);
    expect(readFileSync(NODE_BUILD).length).toBeGreaterThan(0);
  });

  it('is applied to every database: no file of src-main but sqlite/open.ts imports better-sqlite3', () => {
    const src = join(__dirname, '..', '..', 'src-main');
    const importers = (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => /\.(ts|mts|mjs|js)$/.test(f))
      .filter((f) =>
        /from 'better-sqlite3'|require\('better-sqlite3'\)/.test(
          readFileSync(join(src, f), 'utf8'),
        ),
      );
    expect(importers).toEqual([join('sqlite', 'open.ts')]);
  });
});
