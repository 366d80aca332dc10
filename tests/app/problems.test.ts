/**
 * What goes wrong in the desktop app is told, on the BUILT main process against the fake
 * electron: a project that cannot open at start (My first project opens instead), schedules
 * that cannot start, a report that cannot be written, a packaged app whose better-sqlite3 is
 * missing or broken. Only what leaves nothing to open ends in the error box.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { launch, type FakeApp, type Rec } from './fake-electron/launch';
import { makeProject, RENDERER_URL } from './fake-electron/project';

const invoke = (app: FakeApp, method: string, payload: unknown = {}) =>
  app.call<{ ok: boolean; value?: unknown }>('invoke', 'sluice:invoke', RENDERER_URL, 0, {
    method,
    payload,
  });

interface Box {
  message: string;
  detail?: string;
}

/** The next message box whose message matches, once it is shown. */
async function box(app: FakeApp, message: RegExp): Promise<Box> {
  const r: Rec = await app.waitFor(
    (x) => x.method === 'showMessageBox' && message.test((x.args[0] as Box).message),
    `a message ${message}`,
  );
  return r.args[0] as Box;
}

const brokenProject = (home: string): string => {
  const dir = join(home, 'broken');
  mkdirSync(dir);
  writeFileSync(join(dir, 'sluice.yaml'), 'name: [unclosed\n  workers: : :\n');
  return dir;
};

describe('a project that cannot open at start', () => {
  it('given on the command line with a broken sluice.yaml: told, and My first project opens', async () => {
    const home = tempDir('sluice-shell-');
    const dir = brokenProject(home);
    const app = await launch({ home, args: [dir] });
    await app.started();
    const told = await box(app, /could not open/);
    expect(told.message).toBe(`Sluice could not open ${dir}`);
    expect(told.detail).toContain(join(dir, 'sluice.yaml'));
    expect(told.detail).toContain('My first project is open instead.');
    const first = join(home, 'documents', 'Sluice', 'My first project');
    expect(existsSync(join(first, 'sluice.yaml'))).toBe(true);
    expect(await invoke(app, 'projects.recent')).toMatchObject({ value: { current: first } });
    expect(app.calls('dialog', 'showErrorBox')).toEqual([]);
    expect(app.calls('app', 'exit')).toEqual([]);
  });

  it('the last project, its folder deleted since: told, and My first project opens', async () => {
    const home = tempDir('sluice-shell-');
    const gone = join(home, 'gone');
    mkdirSync(join(home, 'sluice-home'), { recursive: true });
    writeFileSync(
      join(home, 'sluice-home', 'state.json'),
      JSON.stringify({ recentProjects: [gone] }),
    );
    const app = await launch({ home });
    await app.started();
    const told = await box(app, /could not open/);
    expect(told.message).toBe(`Sluice could not open ${gone}`);
    expect(told.detail).toMatch(/^The folder does not exist any more/);
    expect(await invoke(app, 'projects.recent')).toMatchObject({
      value: { current: join(home, 'documents', 'Sluice', 'My first project') },
    });
  });

  it('when My first project cannot be made either, the error box says both and the app exits 1', async () => {
    const home = tempDir('sluice-shell-');
    const dir = brokenProject(home);
    writeFileSync(join(home, 'documents'), 'a file where the documents folder should be');
    const app = await launch({ home, args: [dir] });
    expect(await app.exited).toBe(1);
    const [err] = app.calls('dialog', 'showErrorBox');
    expect(err!.args[0]).toBe('Sluice could not start');
    expect(String(err!.args[1])).toContain(join(dir, 'sluice.yaml'));
    expect(String(err!.args[1])).toContain('Nor could My first project open instead');
    expect(String(err!.args[1])).toContain('ENOTDIR');
    expect(app.calls(/^BrowserWindow#/, 'constructor')).toEqual([]);
  });

  it('a path given that is not there, or not something Sluice opens, is told by name', async () => {
    const home = tempDir('sluice-shell-');
    writeFileSync(join(home, 'notes.txt'), 'hello');
    const app = await launch({ home, args: ['missing.csv', 'notes.txt'] });
    await app.started();
    const told = await box(app, /cannot open/);
    expect(told.message).toBe('Sluice cannot open these');
    expect(told.detail).toBe(
      `${join(home, 'missing.csv')}: it does not exist\n${join(home, 'notes.txt')}: Sluice opens CSV and TSV files (.csv, .tsv) and project folders`,
    );
  });
});

describe('schedules that cannot start', () => {
  it('are a warning naming the project and why; the project stays open, and so does the next one', async () => {
    const home = tempDir('sluice-shell-');
    const dir = makeProject(join(home, 'orders'), 'orders');
    writeFileSync(
      join(dir, 'pipelines', 'nightly.yaml'),
      "name: nightly\nsource: {path: a.csv}\nschedule: {cron: 'every tuesday'}\nsteps:\n  - step: trim\n",
    );
    const app = await launch({ home, args: [dir] });
    await app.started();
    const told = await box(app, /schedules/);
    expect(told.message).toBe('The schedules of orders did not start');
    expect(told.detail).toMatch(/every tuesday|pattern/i);
    expect(told.detail).toContain('its pipelines run when you start them');
    expect(app.calls('dialog', 'showErrorBox')).toEqual([]);
    expect(await invoke(app, 'runs.start')).toMatchObject({ ok: true });
    await app.waitFor((r) => r.method === 'setProgressBar' && r.args[0] === -1, 'the run’s end');

    // Another project with a bad schedule, opened from the menu: told again, nothing lost.
    const other = makeProject(join(home, 'other'), 'other');
    writeFileSync(
      join(other, 'pipelines', 'hourly.yaml'),
      "name: hourly\nsource: {path: a.csv}\nschedule: {cron: '61 * * * *'}\n",
    );
    await app.call('answerDialogs', other);
    await app.call('clickMenu', 'File', 'Open Project…');
    expect((await box(app, /schedules of other/)).message).toBe(
      'The schedules of other did not start',
    );
    await app.call('quit');
    expect(await app.exited).toBe(0);
  });
});

describe('Export Report… that cannot write', () => {
  it('tells the user which path and why, and the app goes on', async () => {
    const home = tempDir('sluice-shell-');
    const dir = makeProject(join(home, 'orders'), 'orders');
    const app = await launch({ home, args: [dir] });
    await app.started();
    expect(await invoke(app, 'runs.start')).toMatchObject({ ok: true });
    await app.waitFor((r) => r.method === 'setProgressBar' && r.args[0] === -1, 'the run’s end');
    writeFileSync(join(home, 'a-file'), '');
    const path = join(home, 'a-file', 'report.json');
    await app.call('answerDialogs', path);
    await app.call('clickMenu', 'File', 'Export Report…');
    const told = await box(app, /report/);
    expect(told.message).toBe(`Sluice could not write the report to ${path}`);
    expect(told.detail).toContain('ENOTDIR');
    expect(await invoke(app, 'projects.recent')).toMatchObject({ ok: true });
    expect(app.stderr).not.toMatch(/unhandled/i);
  });
});

describe('better-sqlite3 missing or broken', () => {
  const damaged = async (o: { packaged: boolean; addon?: string }): Promise<string> => {
    const home = tempDir('sluice-shell-');
    if (o.addon !== undefined) {
      const dir = o.packaged
        ? join(home, 'resources', 'native')
        : join(home, 'app', '.electron-native');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'better_sqlite3.node'), o.addon);
      writeFileSync(join(dir, 'build.json'), JSON.stringify({ electron: '45.0.0-fake' }));
    }
    const app = await launch({ home, packaged: o.packaged, nativeBuild: false });
    expect(await app.exited).toBe(1);
    const [err] = app.calls('dialog', 'showErrorBox');
    expect(err!.args[0]).toBe('Sluice could not start');
    expect(app.calls(/^BrowserWindow#/, 'constructor')).toEqual([]);
    return String(err!.args[1]);
  };

  it('packaged, missing: the installation is damaged, reinstall Sluice (no developer command)', async () => {
    const message = await damaged({ packaged: true });
    expect(message).toContain("Sluice's installation is damaged");
    expect(message).toContain(`${join('resources', 'native', 'better_sqlite3.node')} is missing`);
    expect(message).toContain('Reinstall Sluice.');
    expect(message).not.toContain('app:prepare');
  });

  it('packaged, a file that does not load: the installation is damaged, reinstall Sluice', async () => {
    const message = await damaged({ packaged: true, addon: 'not an addon' });
    expect(message).toContain("Sluice's installation is damaged");
    expect(message).toContain('better_sqlite3.node does not load');
    expect(message).toContain('Reinstall Sluice.');
    expect(message).not.toContain('app:prepare');
  });

  it('in development, a file that does not load: rebuild it with app:prepare', async () => {
    const message = await damaged({ packaged: false, addon: 'not an addon' });
    expect(message).toContain('better-sqlite3 built for Electron does not load');
    expect(message).toContain('npm run app:prepare -- --force');
    expect(message).not.toContain('damaged');
  });
});
