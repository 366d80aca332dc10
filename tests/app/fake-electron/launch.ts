/**
 * Starts the BUILT main process (out/main/index.js) in a child process of its own, with
 * 'electron' resolved to the fake, and talks to the fake over the child's IPC channel. A fresh
 * process per launch, so no state leaks between tests.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const BUILT_MAIN = join(ROOT, 'out', 'main', 'index.js');
const REGISTER = fileURLToPath(new URL('./register.mjs', import.meta.url));

export interface Rec {
  seq: number;
  target: string;
  method: string;
  args: unknown[];
}

export interface LaunchOptions {
  /** Sluice's data folder (SLUICE_HOME) and the fake's app.getPath root. */
  home: string;
  /** The arguments after the app's own (files and folders to open). */
  args?: string[];
  cwd?: string;
  /** Another instance holds the single-instance lock. */
  lockTaken?: boolean;
  /** The displays' bounds (the work area is 40 px shorter, for a taskbar). */
  displays?: { x: number; y: number; width: number; height: number }[];
  /** Emit 'ready' at once (default); false leaves it to the test. */
  ready?: boolean;
  /** app.isPackaged, with process.resourcesPath under `home`. */
  packaged?: boolean;
  /** More environment for the app. */
  env?: Record<string, string>;
  /**
   * Whether better-sqlite3's "Electron build" is where the app looks (default true): a copy of
   * Node's build stands in for it, so every store the shell opens goes through nativeBinding.
   */
  nativeBuild?: boolean;
}

/** process.versions.electron under the fake (tests/app/fake-electron/electron.mjs). */
const FAKE_ELECTRON_VERSION = '45.0.0-fake';
const NODE_ADDON = join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');

/** Puts the stand-in where useElectronSqlite (src-main/app/native.ts) looks under the fake. */
function placeNativeBuild(home: string, packaged: boolean): void {
  const dir = packaged ? join(home, 'resources', 'native') : join(home, 'app', '.electron-native');
  mkdirSync(dir, { recursive: true });
  copyFileSync(NODE_ADDON, join(dir, 'better_sqlite3.node'));
  // What app:prepare records; the fake reports this Electron version (electron.mjs).
  if (!packaged)
    writeFileSync(join(dir, 'build.json'), JSON.stringify({ electron: FAKE_ELECTRON_VERSION }));
}

export class FakeApp {
  readonly records: Rec[] = [];
  readonly exited: Promise<number | null>;
  /** The fake has loaded and listens. */
  readonly hello: Promise<void>;
  stderr = '';
  private nextId = 0;
  private readonly pending = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.hello = new Promise((resolve) =>
      child.on('message', (m: { type: string }) => m.type === 'hello' && resolve()),
    );
    child.on('message', (m: { type: string; [k: string]: unknown }) => {
      if (m.type === 'record') this.records.push(m.record as Rec);
      if (m.type === 'reply') {
        const p = this.pending.get(m.id as number);
        this.pending.delete(m.id as number);
        if (m.ok) p?.ok(m.value);
        else p?.fail(new Error(String(m.error)));
      }
      for (const w of this.waiters) w();
    });
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        for (const p of this.pending.values()) p.fail(new Error(`exited: ${this.stderr}`));
        for (const w of this.waiters) w();
        resolve(code);
      }),
    );
  }

  /** Calls one of the fake's control operations (see `ops` in electron.mjs). */
  call<T = unknown>(op: string, ...args: unknown[]): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail });
      this.child.send({ type: 'call', id, op, args });
    });
  }

  /** The records matching, e.g. `calls('dialog', 'showOpenDialog')`. */
  calls(target: string | RegExp, method?: string): Rec[] {
    return this.records.filter(
      (r) =>
        (typeof target === 'string' ? r.target === target : target.test(r.target)) &&
        (method === undefined || r.method === method),
    );
  }

  /** Resolves with the first record matching once it arrives (or fails when the app exits). */
  async waitFor(pred: (r: Rec) => boolean, what = 'a record', timeoutMs = 60_000): Promise<Rec> {
    const found = (): Rec | undefined => this.records.find(pred);
    return new Promise<Rec>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = (): void => {
        const r = found();
        if (r) done(null, r);
        else if (this.child.exitCode !== null || this.child.signalCode !== null)
          done(new Error(`the app exited before ${what}:\n${this.stderr}`));
      };
      const done = (e: Error | null, r?: Rec): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (e) reject(e);
        else resolve(r!);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the app to have started: its menu set and first window loaded. */
  async started(): Promise<void> {
    await this.waitFor((r) => r.target === 'Menu' && r.method === 'setApplicationMenu', 'the menu');
  }

  /** Messages the window received on the event channel. */
  sent(windowId = 1): unknown[] {
    return this.calls(`webContents#${windowId}`, 'send').map((r) => r.args[1]);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

export async function launch(o: LaunchOptions): Promise<FakeApp> {
  if (!existsSync(BUILT_MAIN))
    throw new Error('the main process is not built: run npm run build first (npm test does)');
  mkdirSync(o.home, { recursive: true });
  if (o.nativeBuild !== false) placeNativeBuild(o.home, o.packaged === true);
  const child = fork(BUILT_MAIN, o.args ?? [], {
    cwd: o.cwd ?? o.home,
    execArgv: ['--import', REGISTER],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      SLUICE_HOME: join(o.home, 'sluice-home'),
      FAKE_ELECTRON_HOME: o.home,
      ...(o.lockTaken ? { FAKE_ELECTRON_LOCK: 'taken' } : {}),
      ...(o.displays ? { FAKE_ELECTRON_DISPLAYS: JSON.stringify(o.displays) } : {}),
      ...(o.packaged ? { FAKE_ELECTRON_PACKAGED: '1' } : {}),
      ELECTRON_RENDERER_URL: '',
      ...o.env,
    },
  });
  const app = new FakeApp(child);
  try {
    onTestFinished(() => app.kill());
  } catch {
    // Outside a test: the caller kills it.
  }
  await Promise.race([
    app.hello,
    app.exited.then(() => {
      throw new Error(`the app exited before it loaded electron:\n${app.stderr}`);
    }),
  ]);
  if (o.ready !== false) await app.call('ready');
  return app;
}
