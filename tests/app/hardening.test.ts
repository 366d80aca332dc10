/**
 * Issue #15 point 4, the Electron security checklist, asserted on the BUILT main process
 * (out/main/index.js) running against the fake electron, with a real project and run store.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { launch, type FakeApp } from './fake-electron/launch';
import { makeProject, RENDERER_URL } from './fake-electron/project';

async function started(args: string[] = []): Promise<{ app: FakeApp; home: string }> {
  const home = tempDir('sluice-shell-');
  const app = await launch({ home, args });
  await app.started();
  return { app, home };
}

describe('Electron security checklist (issue #15 point 4)', () => {
  it('4a: the window has contextIsolation and sandbox on, nodeIntegration off, webSecurity on', async () => {
    const { app } = await started();
    const [ctor] = app.calls('BrowserWindow#1', 'constructor');
    const prefs = (ctor!.args[0] as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(prefs.preload).toMatch(/out[\\/]preload[\\/]index\.js$/);
    // The window loads the built renderer file, never a URL from the environment.
    expect(app.calls('BrowserWindow#1', 'loadURL')).toEqual([]);
    expect(app.calls('BrowserWindow#1', 'loadFile')[0]!.args[0]).toMatch(
      /out[\\/]renderer[\\/]index\.html$/,
    );
  });

  it('4c: will-navigate allows only our renderer; https leaves for the OS browser, other schemes nowhere', async () => {
    const { app } = await started();
    const nav = (url: string) =>
      app.call<{ defaultPrevented: boolean }>('contentsEvent', 1, 'will-navigate', url);
    expect(await nav(`${RENDERER_URL}#/runs`)).toEqual({ defaultPrevented: false });
    expect(await nav('https://example.com/page')).toEqual({ defaultPrevented: true });
    expect(await nav('http://example.com/')).toEqual({ defaultPrevented: true });
    expect(await nav('file:///etc/passwd')).toEqual({ defaultPrevented: true });
    expect(await nav(RENDERER_URL.replace('/renderer/index.html', '/main/index.js'))).toEqual({
      defaultPrevented: true,
    });
    expect(
      (await app.call('contentsEvent', 1, 'will-redirect', 'https://evil.example/')) as object,
    ).toEqual({ defaultPrevented: true });
    expect(app.calls('shell', 'openExternal').map((r) => r.args[0])).toEqual([
      'https://example.com/page',
      'https://evil.example/',
    ]);
  });

  it('4c: setWindowOpenHandler denies every new window; https links open through shell.openExternal only', async () => {
    const { app } = await started();
    for (const url of [
      'https://sluice.example/docs',
      'http://plain.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      RENDERER_URL,
    ])
      expect(await app.call('windowOpen', 1, url)).toEqual({ action: 'deny' });
    expect(app.calls('shell', 'openExternal').map((r) => r.args[0])).toEqual([
      'https://sluice.example/docs',
    ]);
    expect(app.calls(/^BrowserWindow#/, 'constructor')).toHaveLength(1);
  });

  it('4c: web-contents-created applies the guards to every webContents, not only the window’s', async () => {
    const { app } = await started();
    const id = await app.call<number>('newContents');
    expect(app.calls(`webContents#${id}`, 'setWindowOpenHandler')).toHaveLength(1);
    expect(await app.call('contentsEvent', id, 'will-navigate', 'https://evil.example/')).toEqual({
      defaultPrevented: true,
    });
    expect(await app.call('contentsEvent', id, 'will-attach-webview', {}, {})).toEqual({
      defaultPrevented: true,
    });
    expect(await app.call('windowOpen', id, 'file:///tmp/x')).toEqual({ action: 'deny' });
  });

  it('4d: permission requests and permission checks are denied', async () => {
    const { app } = await started();
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal'])
      expect(await app.call('permission', p)).toEqual({ granted: false, checked: false });
  });

  it('4e: every ipcMain channel checks its sender frame', async () => {
    const { app } = await started();
    const channels = await app.call<string[]>('channels');
    expect(channels.sort()).toEqual([
      'sluice:invoke',
      'sluice:pick-folder',
      'sluice:save-file',
      'sluice:show-file',
    ]);
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', null]) {
      const r = await app.call<unknown>('invoke', 'sluice:invoke', url, 0, {
        method: 'projects.recent',
        payload: {},
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      app.call('answerDialogs', '/tmp');
      expect(await app.call('invoke', 'sluice:pick-folder', url, 0)).toBeNull();
      const file = { method: 'reports.download', params: { run_id: 'run_x', format: 'html' } };
      expect(await app.call('invoke', 'sluice:save-file', url, 0, file, true)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(
        await app.call('invoke', 'sluice:show-file', url, 0, {
          run_id: 'run_x',
          pipeline: 'a',
          output: 0,
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // No dialog opened for an untrusted frame; our renderer's calls go through.
    expect(app.calls('dialog')).toEqual([]);
    const ok = await app.call('invoke', 'sluice:invoke', RENDERER_URL, 0, {
      method: 'projects.recent',
      payload: {},
    });
    expect(ok).toMatchObject({ ok: true });
    expect(await app.call('invoke', 'sluice:pick-folder', RENDERER_URL, 0)).toBe('/tmp');
    expect(app.calls('dialog', 'showOpenDialog')).toHaveLength(1);
  });

  it('4f: single-instance lock: a second launch quits without opening a window or a project', async () => {
    const home = tempDir('sluice-shell-');
    const second = await launch({ home, lockTaken: true, ready: false });
    expect(await second.exited).toBe(0);
    expect(second.calls('app', 'quit')).toHaveLength(1);
    expect(second.calls(/^BrowserWindow#/)).toEqual([]);
    expect(second.calls('ipcMain')).toEqual([]);
  });

  it('4f: the first instance focuses its window and handles the second launch’s CSV and project folder', async () => {
    const { app, home } = await started();
    const other = makeProject(join(home, 'other'), 'other');
    writeFileSync(join(home, 'sales.csv'), 'a\n1\n');
    await app.call('windowCall', 1, 'minimize');
    await app.call(
      'emitApp',
      'second-instance',
      // As in development: Electron's executable and the app's path come first.
      ['/usr/bin/electron', '/home/dev/sluice', '--some-flag', 'sales.csv', 'other'],
      home,
    );
    await app.waitFor((r) => r.target === 'BrowserWindow#1' && r.method === 'focus', 'focus');
    expect(app.calls('BrowserWindow#1', 'restore')).toHaveLength(1);
    await app.waitFor(
      (r) =>
        r.target === 'webContents#1' &&
        r.method === 'send' &&
        (r.args[1] as { type?: string }).type === 'project.opened',
      'project.opened',
    );
    const sent = app.sent(1);
    expect(sent).toContainEqual({
      type: 'app.command',
      command: 'import',
      path: join(home, 'sales.csv'),
    });
    expect(sent).toContainEqual({ type: 'project.opened', dir: other, name: 'other' });
    await app.waitFor(
      (r) => r.method === 'addRecentDocument' && r.args[0] === other,
      'the project among the OS recent documents',
    );
  });

  it('4f: a second launch while the first is still starting hands its file over to the start', async () => {
    const home = tempDir('sluice-shell-');
    const csv = join(home, 'early.csv');
    writeFileSync(csv, 'a\n1\n');
    const app = await launch({ home, ready: false });
    await app.call(
      'emitApp',
      'second-instance',
      ['/usr/bin/electron', '/home/dev/sluice', csv],
      home,
    );
    await app.call('ready');
    await app.started();
    await app.waitFor(
      (r) => r.method === 'send' && (r.args[1] as { command?: string }).command === 'import',
      'the import',
    );
    expect(app.sent()).toContainEqual({ type: 'app.command', command: 'import', path: csv });
  });

  it('native modules: without the Electron build of better-sqlite3 it says to run app:prepare and quits', async () => {
    const home = tempDir('sluice-shell-');
    const app = await launch({ home, nativeBuild: false });
    expect(await app.exited).toBe(1);
    const [box] = app.calls('dialog', 'showErrorBox');
    expect(box!.args[0]).toBe('Sluice could not start');
    expect(String(box!.args[1])).toContain(join(home, 'app', '.electron-native'));
    expect(String(box!.args[1])).toContain('npm run app:prepare');
    expect(app.calls(/^BrowserWindow#/, 'constructor')).toEqual([]);
  });

  it('4c: a packaged app ignores ELECTRON_RENDERER_URL and loads only its own files', async () => {
    const home = tempDir('sluice-shell-');
    const app = await launch({
      home,
      packaged: true,
      env: { ELECTRON_RENDERER_URL: 'https://evil.example/' },
    });
    await app.started();
    expect(app.calls('BrowserWindow#1', 'loadURL')).toEqual([]);
    expect(app.calls('BrowserWindow#1', 'loadFile')).toHaveLength(1);
    expect(await app.call('contentsEvent', 1, 'will-navigate', 'https://evil.example/')).toEqual({
      defaultPrevented: true,
    });
    const r = await app.call('invoke', 'sluice:invoke', 'https://evil.example/', 0, {
      method: 'projects.recent',
      payload: {},
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Its documentation is the copy packaged beside it.
    await app.call('clickMenu', 'Help', 'Documentation');
    expect(app.calls('shell', 'openPath')[0]!.args[0]).toBe(join(home, 'resources', 'docs'));
  });

  it('quitting waits for the service to close (its run store closed cleanly), then exits', async () => {
    const home = tempDir('sluice-shell-');
    const dir = makeProject(join(home, 'orders'), 'orders');
    const app = await launch({ home, args: [dir] });
    await app.started();
    await app.call('invoke', 'sluice:invoke', RENDERER_URL, 0, {
      method: 'runs.start',
      payload: {},
    });
    await app.waitFor((r) => r.method === 'setProgressBar' && r.args[0] === -1, 'the run’s end');
    const stores = () =>
      readdirSync(home, { recursive: true, encoding: 'utf8' }).filter((f) =>
        /\.db(-wal)?$/.test(f),
      );
    expect(stores().some((f) => f.endsWith('-wal'))).toBe(true); // open, in WAL mode
    await app.call('quit');
    expect(await app.exited).toBe(0);
    // The first quit waits for the shutdown, which quits again; SQLite removes its WAL file
    // only when the last connection closes.
    expect(app.calls('app', 'quit')).toHaveLength(2);
    expect(stores().filter((f) => f.endsWith('-wal'))).toEqual([]);
    expect(stores().length).toBeGreaterThan(0);
  });

  it('title: nothing prevents page-title-updated, so the renderer’s document.title shows', async () => {
    const { app } = await started();
    expect(
      await app.call('windowEvent', 1, 'page-title-updated', 'orders — clean* — Sluice', true),
    ).toEqual({ defaultPrevented: false });
    expect(app.calls('BrowserWindow#1', 'setTitle')).toEqual([]);
  });
});
