/**
 * Issue #15 point 5, desktop conventions on the main side, asserted on the BUILT main process
 * against the fake electron: the menu and what each item does (with the real service: a
 * project really opens, a run really runs), the remembered window and appearance, taskbar
 * progress, and files or folders handed to the app.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { launch, ROOT, type FakeApp, type LaunchOptions } from './fake-electron/launch';
import { makeProject, RENDERER_URL } from './fake-electron/project';

interface Item {
  label?: string;
  role?: string;
  type?: string;
  checked?: boolean;
  accelerator?: string;
  registerAccelerator?: boolean;
  submenu?: Item[];
}

async function started(o: Partial<LaunchOptions> = {}): Promise<{ app: FakeApp; home: string }> {
  const home = o.home ?? tempDir('sluice-shell-');
  const app = await launch({ ...o, home });
  await app.started();
  return { app, home };
}

/** The application menu as last set. */
function menu(app: FakeApp): Item[] {
  const sets = app.calls('Menu', 'setApplicationMenu');
  return sets[sets.length - 1]!.args[0] as Item[];
}

const sub = (items: Item[], label: string): Item[] =>
  items.find((i) => i.label === label)?.submenu ?? [];

const commands = (app: FakeApp): unknown[] =>
  app.sent().filter((m) => (m as { type?: string }).type === 'app.command');

const sentEvent =
  (app: FakeApp, type: string) => (r: { target: string; method: string; args: unknown[] }) =>
    r.target === 'webContents#1' &&
    r.method === 'send' &&
    (r.args[1] as { type?: string }).type === type;

describe('desktop conventions (issue #15 point 5)', () => {
  it('5a: the application menu has File, Edit, View, Run and Help with their items', async () => {
    const { app } = await started();
    const m = menu(app);
    expect(m.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Run', 'Help']);
    expect(sub(m, 'File').map((i) => i.label ?? i.type)).toEqual([
      'New Project…',
      'Open Project…',
      'Open Recent',
      'separator',
      'Import CSV…',
      'Export Report…',
      'separator',
      'Close Window',
      'Quit',
    ]);
    expect(sub(m, 'File').find((i) => i.label === 'Quit')?.role).toBe('quit');
    expect(sub(m, 'File').find((i) => i.label === 'Close Window')?.role).toBe('close');
    const edit = sub(m, 'Edit');
    expect(edit.filter((i) => i.role).map((i) => i.role)).toEqual([
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    // Undo and redo are the window's (its recipe editor), the keys left to it.
    expect(edit.find((i) => i.label === 'Undo')).toMatchObject({ registerAccelerator: false });
    const view = sub(m, 'View');
    expect(view.filter((i) => /^Alt\+\d$/.test(i.accelerator ?? '')).map((i) => i.label)).toEqual([
      'Pipelines',
      'Recipe Editor',
      'Graph',
      'Runs',
      'Outputs and Reports',
    ]);
    expect(view.filter((i) => i.role).map((i) => i.role)).toEqual([
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    expect(sub(view, 'Appearance').map((i) => [i.label, i.type, i.checked])).toEqual([
      ['System', 'radio', true],
      ['Light', 'radio', false],
      ['Dark', 'radio', false],
    ]);
    expect(sub(m, 'Run').map((i) => i.label)).toEqual([
      'Run All',
      'Run Selected Pipeline',
      'Cancel Run',
      undefined,
      'Database Connections…',
    ]);
    expect(sub(m, 'Help').map((i) => i.label)).toEqual(['Documentation', 'About Sluice']);
  });

  it('5a: Edit, View and Run items send their commands to the window', async () => {
    const { app } = await started();
    await app.call('clickMenu', 'Edit', 'Undo');
    await app.call('clickMenu', 'Edit', 'Redo');
    await app.call('clickMenu', 'View', 'Graph');
    await app.call('clickMenu', 'View', 'Runs');
    await app.call('clickMenu', 'Run', 'Run All');
    await app.call('clickMenu', 'Run', 'Run Selected Pipeline');
    await app.call('clickMenu', 'Run', 'Cancel Run');
    await app.call('clickMenu', 'Run', 'Database Connections…');
    await app.waitFor(
      (r) => r.method === 'send' && (r.args[1] as { command?: string }).command === 'connections',
      'connections',
    );
    const cmd = (command: string, more = {}) => ({ type: 'app.command', command, ...more });
    expect(commands(app)).toEqual([
      cmd('appearance', { appearance: 'system' }),
      cmd('undo'),
      cmd('redo'),
      cmd('view', { view: 'graph' }),
      cmd('view', { view: 'runs' }),
      cmd('run-all'),
      cmd('run-selected'),
      cmd('cancel-run'),
      cmd('connections'),
    ]);
  });

  it('5a: Open Project… opens the chosen folder through the service; the window gets project.opened; Open Recent lists it', async () => {
    const { app, home } = await started();
    const dir = makeProject(join(home, 'orders'), 'orders');
    await app.call('answerDialogs', dir);
    await app.call('clickMenu', 'File', 'Open Project…');
    const opened = await app.waitFor(sentEvent(app, 'project.opened'), 'project.opened');
    expect(opened.args[1]).toEqual({ type: 'project.opened', dir, name: 'orders' });
    const [dlg] = app.calls('dialog', 'showOpenDialog');
    expect(JSON.stringify(dlg!.args)).toContain('openDirectory');
    await app.waitFor((r) => r.method === 'addRecentDocument' && r.args[0] === dir, 'OS recent');
    // The menu is rebuilt with the project in Open Recent, newest first.
    await expect
      .poll(() => sub(sub(menu(app), 'File'), 'Open Recent')[0]?.label)
      .toBe(`orders — ${dir}`);
    // The service really switched: the window's calls now answer for it.
    const r = await app.call('invoke', 'sluice:invoke', RENDERER_URL, 0, {
      method: 'projects.recent',
      payload: {},
    });
    expect(r).toMatchObject({ ok: true, value: { current: dir } });
    // Open Recent opens the first project again.
    await app.call(
      'clickMenu',
      'File',
      'Open Recent',
      sub(sub(menu(app), 'File'), 'Open Recent')[1]!.label!,
    );
    await expect
      .poll(async () =>
        app.call('invoke', 'sluice:invoke', RENDERER_URL, 0, {
          method: 'projects.recent',
          payload: {},
        }),
      )
      .toMatchObject({ value: { current: join(home, 'documents', 'Sluice', 'My first project') } });
  });

  it('5a: New Project… creates a project in the chosen folder and opens it', async () => {
    const { app, home } = await started();
    const dir = join(home, 'fresh');
    await app.call('answerDialogs', dir);
    await app.call('clickMenu', 'File', 'New Project…');
    await app.waitFor(sentEvent(app, 'project.opened'), 'project.opened');
    expect(existsSync(join(dir, 'sluice.yaml'))).toBe(true);
  });

  it('5a: Import CSV… asks for a CSV file and sends the window the import command with its path', async () => {
    const { app, home } = await started();
    const csv = join(home, 'customers.csv');
    writeFileSync(csv, 'id\n1\n');
    await app.call('answerDialogs', csv);
    await app.call('clickMenu', 'File', 'Import CSV…');
    await app.waitFor(
      (r) => r.method === 'send' && (r.args[1] as { command?: string }).command === 'import',
      'import',
    );
    expect(commands(app)).toContainEqual({ type: 'app.command', command: 'import', path: csv });
    const [dlg] = app.calls('dialog', 'showOpenDialog');
    const opts = dlg!.args[dlg!.args.length - 1] as { filters: { extensions: string[] }[] };
    expect(opts.filters[0]!.extensions).toContain('csv');
  });

  it('5b: taskbar progress follows a run (a fraction as pipelines finish, -1 when done); Export Report… writes its report', async () => {
    const home = tempDir('sluice-shell-');
    const dir = makeProject(join(home, 'orders'), 'orders');
    writeFileSync(
      join(dir, 'pipelines', 'b.yaml'),
      'name: b\nsource: {path: a.csv}\nsteps:\n  - step: trim\n',
    );
    const { app } = await started({ home, args: [dir] });
    const start = await app.call('invoke', 'sluice:invoke', RENDERER_URL, 0, {
      method: 'runs.start',
      payload: {},
    });
    expect(start).toMatchObject({ ok: true });
    await app.waitFor(
      (r) => r.method === 'setProgressBar' && r.args[0] === -1,
      'the progress bar removed',
    );
    const values = app.calls('BrowserWindow#1', 'setProgressBar').map((r) => r.args[0] as number);
    // Busy, then none of two pipelines done, one, both, and the bar removed.
    expect(values).toEqual([2, 0, 0.5, 1, -1]);

    const json = join(home, 'report.json');
    await app.call('answerDialogs', json);
    await app.call('clickMenu', 'File', 'Export Report…');
    await expect.poll(() => existsSync(json)).toBe(true);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { run: { status: string } };
    expect(report.run.status).toBe('succeeded');
    const csv = join(home, 'report.csv');
    await app.call('answerDialogs', csv);
    await app.call('clickMenu', 'File', 'Export Report…');
    await expect.poll(() => existsSync(csv)).toBe(true);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/pipeline/);
  });

  it('5a: Export Report… with no run yet says so instead of writing a file', async () => {
    const { app } = await started();
    await app.call('clickMenu', 'File', 'Export Report…');
    await app.waitFor((r) => r.method === 'showMessageBox', 'the message');
    expect(app.calls('dialog', 'showSaveDialog')).toEqual([]);
    expect(JSON.stringify(app.calls('dialog', 'showMessageBox'))).toContain('no run');
  });

  it('5a: Appearance sets nativeTheme.themeSource, tells the window, and is remembered at the next start', async () => {
    const { app, home } = await started();
    await app.call('clickMenu', 'View', 'Appearance', 'Dark');
    expect(await app.call('themeSource')).toBe('dark');
    expect(commands(app)).toContainEqual({
      type: 'app.command',
      command: 'appearance',
      appearance: 'dark',
    });
    await expect
      .poll(() => sub(sub(menu(app), 'View'), 'Appearance').find((i) => i.checked)?.label)
      .toBe('Dark');
    app.kill();
    await app.exited;
    const again = await launch({ home });
    await again.started();
    expect(await again.call('themeSource')).toBe('dark');
    expect(again.calls('nativeTheme', 'set themeSource')[0]!.args).toEqual(['dark']);
  });

  it('5a: Help opens the docs folder with shell.openPath; About shows the app, Electron, Chrome, Node and V8 versions', async () => {
    const { app } = await started();
    await app.call('clickMenu', 'Help', 'Documentation');
    expect(app.calls('shell', 'openPath')[0]!.args[0]).toBe(join(ROOT, 'docs'));
    await app.call('clickMenu', 'Help', 'About Sluice');
    const [box] = app.calls('dialog', 'showMessageBox');
    const detail = (box!.args[0] as { detail: string }).detail;
    const version = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(detail).toContain(`Version ${version}`);
    expect(detail).toContain('Electron 45.0.0-fake');
    expect(detail).toContain('Chrome 140.0.0.0-fake');
    expect(detail).toContain(`Node ${process.versions.node}`);
    expect(detail).toContain(`V8 ${process.versions.v8}`);
  });

  it('5c: window size, position and maximised state are remembered, and restored only onto a visible display', async () => {
    const home = tempDir('sluice-shell-');
    const displays = [
      { x: 0, y: 0, width: 1920, height: 1080 },
      { x: 1920, y: 0, width: 1280, height: 1024 },
    ];
    const first = await launch({ home, displays });
    await first.started();
    await first.call('setBounds', 1, { x: 2000, y: 50, width: 1000, height: 700 }, true);
    await first.call('closeWindow', 1);
    await first.exited; // the last window closed: the app quits on Linux and Windows
    const saved = JSON.parse(readFileSync(join(home, 'sluice-home', 'desktop.json'), 'utf8'));
    expect(saved.window).toEqual({ x: 2000, y: 50, width: 1000, height: 700, maximized: true });

    const second = await launch({ home, displays });
    await second.started();
    expect(second.calls('BrowserWindow#1', 'constructor')[0]!.args[0]).toMatchObject({
      x: 2000,
      y: 50,
      width: 1000,
      height: 700,
    });
    expect(second.calls('BrowserWindow#1', 'maximize')).toHaveLength(1);
    second.kill();

    // The second display is gone: the window opens on the remaining one, at the default size.
    const third = await launch({ home, displays: [displays[0]!] });
    await third.started();
    const opts = third.calls('BrowserWindow#1', 'constructor')[0]!.args[0] as Record<
      string,
      unknown
    >;
    expect(opts.x).toBeUndefined();
    expect(opts).toMatchObject({ width: 1280, height: 800 });
  });

  it('5d: a CSV and a project folder on the command line are imported and opened; the project goes to the recent documents', async () => {
    const home = tempDir('sluice-shell-');
    const dir = makeProject(join(home, 'orders'), 'orders');
    writeFileSync(join(home, 'stores.csv'), 'id\n1\n');
    const { app } = await started({
      home,
      args: ['--inspect-nothing', 'stores.csv', dir],
      cwd: home,
    });
    await app.waitFor(
      (r) => r.method === 'send' && (r.args[1] as { command?: string }).command === 'import',
      'import',
    );
    expect(commands(app)).toContainEqual({
      type: 'app.command',
      command: 'import',
      path: join(home, 'stores.csv'),
    });
    // The project given opens first, instead of the default one.
    expect(app.calls('app', 'addRecentDocument')[0]!.args[0]).toBe(dir);
    expect(existsSync(join(home, 'documents', 'Sluice'))).toBe(false);
    const recent = JSON.parse(readFileSync(join(home, 'sluice-home', 'state.json'), 'utf8'));
    expect(recent.recentProjects[0]).toBe(dir);
  });

  it('5d: a file opened with the app (macOS open-file, or dropped on the icon) is imported, before and after ready', async () => {
    const home = tempDir('sluice-shell-');
    const early = join(home, 'early.csv');
    const late = join(home, 'late.csv');
    writeFileSync(early, 'a\n1\n');
    writeFileSync(late, 'a\n1\n');
    const dir = makeProject(join(home, 'p2'), 'p2');
    mkdirSync(join(home, 'plain-folder'));
    const app = await launch({ home, ready: false });
    expect(await app.call('emitApp', 'open-file', early)).toEqual({ defaultPrevented: true });
    await app.call('ready');
    await app.started();
    await app.call('emitApp', 'open-file', late);
    await app.call('emitApp', 'open-file', join(home, 'plain-folder'));
    await app.call('emitApp', 'open-file', join(dir, 'sluice.yaml'));
    await app.waitFor(sentEvent(app, 'project.opened'), 'project.opened');
    const imports = commands(app).filter((c) => (c as { command: string }).command === 'import');
    expect(imports).toEqual([
      { type: 'app.command', command: 'import', path: early },
      { type: 'app.command', command: 'import', path: late },
    ]);
    expect(app.sent()).toContainEqual({ type: 'project.opened', dir, name: 'p2' });
  });
});

describe('database connections from the window', () => {
  it('6: a connection saved from the window keeps its password in the OS keychain (safeStorage), never in plain text', async () => {
    const { app, home } = await started();
    const call = (method: string, payload: unknown) =>
      app.call<{ ok: boolean; value?: unknown; error?: unknown }>(
        'invoke',
        'sluice:invoke',
        RENDERER_URL,
        0,
        { method, payload },
      );
    const saved = await call('connections.save', {
      name: 'warehouse',
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
      user: 'postgres',
      password: 's3cret-Pa55',
    });
    expect(saved).toMatchObject({ ok: true });
    const listed = await call('connections.list', {});
    expect(listed).toMatchObject({ ok: true, value: { keychain: true } });
    expect(JSON.stringify(listed)).not.toContain('s3cret-Pa55');
    // The details in Sluice's folder, the password only as the keychain's ciphertext.
    const folder = join(home, 'sluice-home');
    const details = readFileSync(join(folder, 'connections.json'), 'utf8');
    expect(details).toContain('warehouse');
    expect(details).not.toContain('s3cret-Pa55');
    const kept = JSON.parse(readFileSync(join(folder, 'credentials.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.keys(kept)).toEqual(['warehouse']);
    expect(kept.warehouse).not.toContain('s3cret-Pa55');
    expect(app.calls('safeStorage', 'encryptString')).toHaveLength(1);
    // Testing it from the window reaches the real server (trust auth ignores the password).
    const tested = await call('connections.test', { name: 'warehouse' });
    expect(tested).toMatchObject({ ok: true });
    expect(JSON.stringify(tested)).toMatch(/PostgreSQL \d+/);
    // Linux: the backend was asked, and the Secret Service is a keychain.
    expect(app.calls('safeStorage', 'getSelectedStorageBackend')).toHaveLength(1);
  });

  it('6: on Linux a safeStorage without a real keychain (basic_text, a key built into Chromium) keeps no password', async () => {
    const { app, home } = await started({ env: { FAKE_ELECTRON_STORAGE_BACKEND: 'basic_text' } });
    const call = (method: string, payload: unknown) =>
      app.call<{ ok: boolean; value?: unknown; error?: { message: string } }>(
        'invoke',
        'sluice:invoke',
        RENDERER_URL,
        0,
        { method, payload },
      );
    const details = { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' };
    expect(await call('connections.list', {})).toMatchObject({
      ok: true,
      value: { keychain: false },
    });
    const refused = await call('connections.save', { name: 'wh', ...details, password: 'pw-1' });
    expect(refused).toMatchObject({ ok: false });
    expect(refused.error!.message).toContain('SLUICE_PASSWORD_WH');
    // The connection itself can be saved; its password comes from the environment.
    expect(await call('connections.save', { name: 'wh', ...details })).toMatchObject({ ok: true });
    expect(app.calls('safeStorage', 'encryptString')).toEqual([]);
    expect(existsSync(join(home, 'sluice-home', 'credentials.json'))).toBe(false);
  });

  it('6b: on Linux without a Secret Service (basic_text) no password is kept, and the message says what to do here', async () => {
    const { app, home } = await started({ env: { FAKE_ELECTRON_STORAGE_BACKEND: 'basic_text' } });
    const call = (method: string, payload: unknown) =>
      app.call<{ ok: boolean; value?: unknown; error?: { message: string } }>(
        'invoke',
        'sluice:invoke',
        RENDERER_URL,
        0,
        { method, payload },
      );
    expect(await call('connections.list', {})).toMatchObject({
      ok: true,
      value: { keychain: false },
    });
    const saved = await call('connections.save', {
      name: 'warehouse',
      host: '127.0.0.1',
      database: 'test',
      user: 'postgres',
      password: 's3cret-Pa55',
    });
    expect(saved.ok).toBe(false);
    expect(saved.error?.message).toMatch(
      /^this computer offers no secure OS keychain .*: set SLUICE_PASSWORD_WAREHOUSE in the environment Sluice starts in, or start a keyring and restart Sluice$/,
    );
    expect(app.calls('safeStorage', 'encryptString')).toHaveLength(0);
    expect(existsSync(join(home, 'sluice-home', 'credentials.json'))).toBe(false);
  });
});
