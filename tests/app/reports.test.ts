/**
 * Reports and outputs as files in the desktop app, on the BUILT main process against the fake
 * electron: the window's Report / PDF / CSV buttons ask where to save (the system's dialog),
 * save there, open with the OS's program; the PDF is printed by Electron's printToPDF in a
 * hidden window; Show in folder reveals an output; File > Export Report… writes HTML or Excel.
 * The new channels answer only our renderer, and only for the two file methods.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { launch, type FakeApp } from './fake-electron/launch';
import { makeProject, RENDERER_URL } from './fake-electron/project';

type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

let app: FakeApp;
let home: string;
let dir: string;
let runId: string;

const call = (channel: string, url: string, ...args: unknown[]) =>
  app.call<Answer>('invoke', channel, url, 0, ...args);
const invoke = (method: string, payload: unknown = {}) =>
  call('sluice:invoke', RENDERER_URL, { method, payload });
/** Temporary report files of this run still in the temp folder. */
const leftovers = (): string[] =>
  readdirSync(tmpdir()).filter((f) => f.startsWith('sluice-') && f.includes(runId.slice(-6)));

beforeAll(async () => {
  home = tempDir('sluice-shell-');
  dir = makeProject(join(home, 'orders'), 'orders');
  writeFileSync(
    join(dir, 'pipelines', 'a.yaml'),
    'name: a\ndescription: The orders, trimmed\nsource: {path: a.csv}\nsteps:\n  - step: trim\noutputs:\n  - {kind: csv, path: out/a.csv}\n',
  );
  app = await launch({ home, args: [dir] });
  await app.started();
  const start = await invoke('runs.start');
  runId = (start.value as { run_id: string }).run_id;
  await app.waitFor((r) => r.method === 'setProgressBar' && r.args[0] === -1, 'the run’s end');
}, 120_000);

describe('the window’s report buttons in the desktop app', () => {
  it('Report (HTML): asks where in Documents, saves it there, opens it with the OS’s program', async () => {
    const path = join(home, 'report.html');
    await app.call('answerDialogs', path);
    const r = await call(
      'sluice:save-file',
      RENDERER_URL,
      {
        method: 'reports.download',
        params: { run_id: runId, format: 'html' },
      },
      true,
    );
    expect(r).toEqual({ ok: true, value: path });
    expect(readFileSync(path, 'utf8')).toMatch(/^<!doctype html>[\s\S]*orders — run report/);
    const asked = app.calls('dialog', 'showSaveDialog').at(-1)!.args.at(-1) as {
      defaultPath: string;
      filters: { extensions: string[] }[];
    };
    expect(asked.defaultPath).toMatch(
      new RegExp(`^${join(home, 'documents')}/orders-report-[\\d-]+-\\w{6}\\.html$`),
    );
    expect(asked.filters[0].extensions).toEqual(['html']);
    expect(app.calls('shell', 'openPath').at(-1)!.args).toEqual([path]);
    await expect.poll(leftovers).toEqual([]);
  });

  it('PDF: printed by Electron in a hidden window without script, A4 here, saved, not opened when not asked', async () => {
    const path = join(home, 'report.pdf');
    await app.call('answerDialogs', path);
    const opened = app.calls('shell', 'openPath').length;
    const r = await call(
      'sluice:save-file',
      RENDERER_URL,
      {
        method: 'reports.download',
        params: { run_id: runId, format: 'pdf' },
      },
      false,
    );
    expect(r).toEqual({ ok: true, value: path });
    expect(readFileSync(path, 'utf8')).toMatch(
      /^%PDF-1\.4\n% printed from file:\/\/.*\.pdf\.html\n/,
    );
    const print = app.calls(/^webContents#/, 'printToPDF').at(-1)!;
    expect(print.args[0]).toMatchObject({ pageSize: 'A4', printBackground: true });
    const hidden = app
      .calls(/^BrowserWindow#/, 'constructor')
      .map((c) => c.args[0] as { show?: boolean; webPreferences?: Record<string, unknown> })
      .find((o) => o.show === false)!;
    expect(hidden.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      javascript: false,
    });
    expect(app.calls(/^BrowserWindow#/, 'destroy')).toHaveLength(1);
    expect(app.calls('shell', 'openPath')).toHaveLength(opened);
    await expect.poll(leftovers).toEqual([]);
  });

  it('cancelled: nothing is saved and the temporary file is gone', async () => {
    const r = await call(
      'sluice:save-file',
      RENDERER_URL,
      {
        method: 'outputs.download',
        params: { run_id: runId, pipeline: 'a', format: 'xlsx' },
      },
      false,
    );
    expect(r).toEqual({ ok: true, value: null });
    await expect.poll(leftovers).toEqual([]);
  });

  it('Show in folder reveals the output file', async () => {
    const r = await call('sluice:show-file', RENDERER_URL, {
      run_id: runId,
      pipeline: 'a',
      output: 0,
    });
    expect(r).toEqual({ ok: true, value: null });
    expect(app.calls('shell', 'showItemInFolder').at(-1)!.args).toEqual([
      join(dir, 'out', 'a.csv'),
    ]);
  });

  it('answer only our renderer, and only the two file methods', async () => {
    const dialogs = app.calls('dialog', 'showSaveDialog').length;
    const evil = await call(
      'sluice:save-file',
      'https://evil.example/',
      {
        method: 'reports.download',
        params: { run_id: runId, format: 'html' },
      },
      true,
    );
    expect(evil).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await call('sluice:show-file', 'https://evil.example/', {
        run_id: runId,
        pipeline: 'a',
        output: 0,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const other = await call(
      'sluice:save-file',
      RENDERER_URL,
      { method: 'runs.start', params: {} },
      false,
    );
    expect(other).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const bad = await call(
      'sluice:save-file',
      RENDERER_URL,
      {
        method: 'reports.download',
        params: { run_id: runId, format: 'docx' },
      },
      false,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(app.calls('dialog', 'showSaveDialog')).toHaveLength(dialogs);
    const runs = (await invoke('runs.list')).value as { items: unknown[] };
    expect(runs.items).toHaveLength(1);
  });
});

describe('File > Export Report…', () => {
  it('writes the Excel workbook when the name ends in .xlsx, and opens it', async () => {
    const path = join(home, 'report.xlsx');
    await app.call('answerDialogs', path);
    await app.call('clickMenu', 'File', 'Export Report…');
    await app.waitFor((r) => r.method === 'openPath' && r.args[0] === path, 'the workbook opened');
    expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK');
    expect(readdirSync(home).filter((f) => f.includes('.part-'))).toEqual([]);
  });
});
