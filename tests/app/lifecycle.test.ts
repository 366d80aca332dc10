/**
 * The desktop app's comings and goings, on the BUILT main process against the fake electron:
 * unsaved recipe edits asked about (Leave or Stay) when the window closes or the app quits, the
 * service closed in will-quit (so a quit that Stay cancels leaves it running, and a quit mid-run
 * leaves the store consistent), and files handed over while the app starts.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src-main/sqlite/open';
import { tempDir } from '../helpers/tmp';
import { launch, type FakeApp } from './fake-electron/launch';
import { makeProject, RENDERER_URL } from './fake-electron/project';

const invoke = (app: FakeApp, method: string, payload: unknown = {}) =>
  app.call<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>(
    'invoke',
    'sluice:invoke',
    RENDERER_URL,
    0,
    { method, payload },
  );

const sentOf = (type: string, status?: string) => (r: { method: string; args: unknown[] }) => {
  const m = r.args[1] as { type?: string; status?: string } | undefined;
  return r.method === 'send' && m?.type === type && (status === undefined || m.status === status);
};

/** The run store files under `home` (the store lives in the data folder). */
const stores = (home: string): string[] =>
  readdirSync(home, { recursive: true, encoding: 'utf8' }).filter((f) => /\.db(-wal)?$/.test(f));

describe('unsaved recipe edits (will-prevent-unload)', () => {
  it('closing the window asks Leave or Stay: Stay keeps it open and working, Leave closes it', async () => {
    const home = tempDir('sluice-shell-');
    const app = await launch({ home });
    await app.started();
    // The page's beforeunload asks to stay, as the renderer does while the title shows ●.
    await app.call('setUnloadGuard', 1, true);
    await app.call('answerButtons', 'Stay');
    await app.call('closeWindow', 1);
    const [box] = app.calls('dialog', 'showMessageBoxSync');
    expect(box!.args[0]).toMatchObject({
      type: 'question',
      buttons: ['Leave', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      message: 'A recipe has edits that are not saved.',
    });
    expect(await app.call('window', 1)).toMatchObject({ destroyed: false });
    expect(app.calls('BrowserWindow#1', 'unload prevented')).toHaveLength(1);
    expect(app.calls('app', 'quit')).toEqual([]);
    expect(await invoke(app, 'projects.recent')).toMatchObject({ ok: true });

    // Dismissing the box (Escape) is Stay too.
    await app.call('closeWindow', 1);
    expect(app.calls('dialog', 'showMessageBoxSync')).toHaveLength(2);
    expect(await app.call('window', 1)).toMatchObject({ destroyed: false });

    await app.call('answerButtons', 'Leave');
    await app.call('closeWindow', 1);
    expect(await app.exited).toBe(0);
    expect(app.calls('dialog', 'showMessageBoxSync')).toHaveLength(3);
  });

  it('quitting asks too: Stay cancels the quit and the service goes on; Leave quits, the store closed in will-quit', async () => {
    const home = tempDir('sluice-shell-');
    const dir = makeProject(join(home, 'orders'), 'orders');
    const app = await launch({ home, args: [dir] });
    await app.started();
    expect(await invoke(app, 'runs.start')).toMatchObject({ ok: true });
    await app.waitFor((r) => r.method === 'setProgressBar' && r.args[0] === -1, 'the run’s end');
    expect(stores(home).some((f) => f.endsWith('-wal'))).toBe(true); // open, in WAL mode

    await app.call('setUnloadGuard', 1, true);
    await app.call('answerButtons', 'Stay');
    await app.call('quit');
    await app.waitFor((r) => r.method === 'quit cancelled', 'the quit cancelled');
    expect(await app.call('window', 1)).toMatchObject({ destroyed: false });
    // Nothing was closed: the store still answers and runs still start.
    expect(await invoke(app, 'runs.list', {})).toMatchObject({ ok: true, value: { total: 1 } });
    expect(app.calls('app', 'will-quit prevented')).toEqual([]);

    await app.call('answerButtons', 'Leave');
    await app.call('quit');
    expect(await app.exited).toBe(0);
    // Stay's quit, Leave's, and the one after the service closed.
    expect(app.calls('app', 'quit')).toHaveLength(3);
    expect(app.calls('app', 'will-quit prevented')).toHaveLength(1);
    // SQLite removes the WAL file only when the last connection closes.
    expect(stores(home).filter((f) => f.endsWith('-wal'))).toEqual([]);
  });

  it('without unsaved edits a quit asks nothing', async () => {
    const home = tempDir('sluice-shell-');
    const app = await launch({ home });
    await app.started();
    await app.call('quit');
    expect(await app.exited).toBe(0);
    expect(app.calls('dialog')).toEqual([]);
  });
});

describe('quitting (will-quit)', () => {
  it('a quit mid-run cancels the run and closes the store: nothing is left running in it', async () => {
    const home = tempDir('sluice-shell-');
    const dir = makeProject(join(home, 'orders'), 'orders');
    // Long enough that the quit comes while the pipeline reads it.
    const rows = Array.from({ length: 1_500_000 }, (_, i) => `${i}, name ${i} `).join('\n');
    writeFileSync(join(dir, 'a.csv'), `id,name\n${rows}\n`);
    const app = await launch({ home, args: [dir] });
    await app.started();
    expect(await invoke(app, 'runs.start')).toMatchObject({ ok: true });
    await app.waitFor(sentOf('task.state', 'running'), 'the pipeline running');
    await app.call('quit');
    expect(await app.exited).toBe(0);
    expect(app.calls('app', 'will-quit prevented')).toHaveLength(1);

    const [store] = stores(home).filter((f) => f.endsWith('.db'));
    expect(stores(home).filter((f) => f.endsWith('-wal'))).toEqual([]);
    const db = openSqlite(join(home, store!), { readonly: true });
    try {
      const runs = db.prepare('SELECT status FROM runs').all() as { status: string }[];
      expect(runs).toEqual([{ status: 'cancelled' }]);
      const open = db.prepare("SELECT count(*) AS n FROM tasks WHERE status = 'running'").get();
      expect(open).toEqual({ n: 0 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});

describe('files handed over before the app is ready', () => {
  it('open-file before ready, and open-file or a second launch while the shell starts, are all imported', async () => {
    const home = tempDir('sluice-shell-');
    const csv = (name: string): string => {
      const path = join(home, name);
      writeFileSync(path, 'a\n1\n');
      return path;
    };
    const [beforeReady, duringStart, secondLaunch] = [csv('a.csv'), csv('b.csv'), csv('c.csv')];
    const app = await launch({ home, ready: false });
    expect(await app.call('emitApp', 'open-file', beforeReady)).toEqual({ defaultPrevented: true });
    // While the shell starts: as its window opens, and as its menu is set.
    await app.call('emitAppOn', 'BrowserWindow#1', 'constructor', 'open-file', duringStart);
    await app.call(
      'emitAppOn',
      'Menu',
      'setApplicationMenu',
      'second-instance',
      ['/usr/bin/electron', '/home/dev/sluice', secondLaunch],
      home,
    );
    await app.call('ready');
    await app.started();
    const imported = (path: string) => (r: { method: string; args: unknown[] }) =>
      r.method === 'send' && (r.args[1] as { path?: string }).path === path;
    for (const path of [beforeReady, duringStart, secondLaunch])
      await app.waitFor(imported(path), `the import of ${path}`);
    expect(
      app
        .sent()
        .filter((m) => (m as { command?: string }).command === 'import')
        .map((m) => (m as { path: string }).path),
    ).toEqual([beforeReady, duringStart, secondLaunch]);
    // The second launch wanted the window in front.
    await app.waitFor((r) => r.target === 'BrowserWindow#1' && r.method === 'focus', 'focus');
  });
});
