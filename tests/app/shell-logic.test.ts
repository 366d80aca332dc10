/**
 * The desktop shell's pure parts, without Electron: the menu template from state, argv → what
 * to open, window-state clamping to the visible displays, taskbar progress from events, the
 * URL checks behind the navigation guards, and which safeStorage counts as a keychain. (A unit
 * test: see UNIT_ELSEWHERE.)
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../src-shared/api/contract';
import { ownArgCount, targetsOf, type PathKind } from '../../src-main/app/args';
import { keychainCipher } from '../../src-main/app/keychain';
import { aboutText, menuTemplate, type MenuActions } from '../../src-main/app/menu';
import { INDETERMINATE, NONE, RunProgress } from '../../src-main/app/progress';
import { externalLink, isOurRenderer } from '../../src-main/app/security';
import { DEFAULT_WINDOW, restoreWindow } from '../../src-main/app/window-state';

describe('menuTemplate', () => {
  const actions = (): MenuActions & Record<string, ReturnType<typeof vi.fn>> =>
    ({
      newProject: vi.fn(),
      openProject: vi.fn(),
      openRecent: vi.fn(),
      importCsv: vi.fn(),
      exportReport: vi.fn(),
      command: vi.fn(),
      setAppearance: vi.fn(),
      openDocs: vi.fn(),
      about: vi.fn(),
    }) as never;
  type Item = {
    label?: string;
    submenu?: Item[];
    click?: () => void;
    checked?: boolean;
    role?: string;
  };
  const find = (items: Item[], ...path: string[]): Item => {
    const [first, ...rest] = path;
    const i = items.find((x) => x.label === first)!;
    return rest.length ? find(i.submenu!, ...rest) : i;
  };

  it('lists recent projects by name, and opens the one clicked', () => {
    const a = actions();
    const t = menuTemplate(
      {
        recent: [
          { dir: '/p/orders', name: 'orders' },
          { dir: '/p/x', name: null },
        ],
        appearance: 'system',
        mac: false,
        appName: 'Sluice',
      },
      a,
    ) as Item[];
    const recent = find(t, 'File', 'Open Recent').submenu!;
    expect(recent.map((i) => i.label)).toEqual(['orders — /p/orders', '/p/x']);
    recent[1]!.click!();
    expect(a.openRecent).toHaveBeenCalledWith('/p/x');
  });

  it('shows "No recent projects" disabled when there are none', () => {
    const t = menuTemplate(
      { recent: [], appearance: 'system', mac: false, appName: 'Sluice' },
      actions(),
    ) as Item[];
    expect(find(t, 'File', 'Open Recent').submenu).toEqual([
      { label: 'No recent projects', enabled: false },
    ]);
  });

  it('checks the appearance chosen and reports a new choice', () => {
    const a = actions();
    const t = menuTemplate(
      { recent: [], appearance: 'light', mac: false, appName: 'Sluice' },
      a,
    ) as Item[];
    expect(find(t, 'View', 'Appearance').submenu!.map((i) => i.checked)).toEqual([
      false,
      true,
      false,
    ]);
    find(t, 'View', 'Appearance', 'Dark').click!();
    expect(a.setAppearance).toHaveBeenCalledWith('dark');
  });

  it('on macOS puts About and Quit in the application menu', () => {
    const t = menuTemplate(
      { recent: [], appearance: 'system', mac: true, appName: 'Sluice' },
      actions(),
    ) as Item[];
    expect(t.map((i) => i.label)).toEqual(['Sluice', 'File', 'Edit', 'View', 'Run', 'Help']);
    expect(find(t, 'File').submenu!.some((i) => i.role === 'quit')).toBe(false);
    expect(find(t, 'Sluice').submenu!.some((i) => i.role === 'quit')).toBe(true);
    expect(find(t, 'Help').submenu!.map((i) => i.label)).toEqual(['Documentation']);
  });

  it('aboutText names every version', () => {
    expect(
      aboutText('1.2.3', { electron: '45.1.0', chrome: '140', node: '22.1', v8: '14.0' }),
    ).toBe('Version 1.2.3\nElectron 45.1.0\nChrome 140\nNode 22.1\nV8 14.0');
  });
});

describe('targetsOf (argv → what to open)', () => {
  const disk: Record<string, PathKind> = {
    '/home/me/sales.csv': 'file',
    '/home/me/notes.txt': 'file',
    '/home/me/orders': 'project',
    '/home/me/orders/sluice.yaml': 'file',
    '/home/me/empty': 'folder',
  };
  const probe = (p: string): PathKind => disk[p] ?? null;

  it('imports CSVs, opens project folders (or their sluice.yaml), skips flags, refuses the rest with why', () => {
    expect(
      targetsOf(
        [
          '--no-sandbox',
          'sales.csv',
          'orders',
          '/home/me/orders/sluice.yaml',
          'notes.txt',
          'empty',
          'gone.csv',
        ],
        '/home/me',
        probe,
      ),
    ).toEqual([
      { kind: 'import', path: '/home/me/sales.csv' },
      { kind: 'project', dir: '/home/me/orders' },
      { kind: 'project', dir: '/home/me/orders' },
      {
        kind: 'refused',
        path: '/home/me/notes.txt',
        reason: 'Sluice opens CSV and TSV files (.csv, .tsv) and project folders',
      },
      {
        kind: 'refused',
        path: '/home/me/empty',
        reason: 'the folder is not a Sluice project (no sluice.yaml)',
      },
      { kind: 'refused', path: '/home/me/gone.csv', reason: 'it does not exist' },
    ]);
  });

  it('skips the executable, and in development the app path', () => {
    expect(ownArgCount(true)).toBe(1);
    expect(ownArgCount(false)).toBe(2);
  });
});

describe('restoreWindow (window state onto visible displays)', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1040 };
  const right = { x: 1920, y: 0, width: 1280, height: 984 };

  it('gives the default for nothing saved or a damaged file', () => {
    expect(restoreWindow(undefined, [screen])).toEqual(DEFAULT_WINDOW);
    expect(restoreWindow({ width: 'big' }, [screen])).toEqual(DEFAULT_WINDOW);
  });

  it('keeps a window that a display shows, with its maximised state', () => {
    const w = { x: 2000, y: 40, width: 1000, height: 700, maximized: true };
    expect(restoreWindow(w, [screen, right])).toEqual(w);
  });

  it('reopens a window left on a display that is gone at the default size, placed by the OS', () => {
    expect(
      restoreWindow({ x: 2000, y: 40, width: 1000, height: 700, maximized: false }, [screen]),
    ).toEqual(DEFAULT_WINDOW);
  });

  it('treats a window showing only a sliver as not visible', () => {
    expect(restoreWindow({ x: 1900, y: 0, width: 800, height: 600 }, [screen]).x).toBeUndefined();
  });

  it('shrinks and moves a window to fit the display it is mostly on', () => {
    expect(restoreWindow({ x: 1500, y: 900, width: 2500, height: 1500 }, [screen])).toEqual({
      x: 0,
      y: 0,
      width: 1920,
      height: 1040,
      maximized: false,
    });
  });
});

describe('RunProgress (taskbar progress from events)', () => {
  const state = (run_id: string, status: 'running' | 'succeeded'): ApiEvent => ({
    type: 'run.state',
    run_id,
    status,
  });
  const task = (
    run_id: string,
    pipeline: string,
    status: 'running' | 'succeeded' | 'failed',
  ): ApiEvent => ({
    type: 'task.state',
    run_id,
    pipeline,
    status,
  });

  it('is busy until the total is known, then a fraction, and removed at the end', () => {
    const p = new RunProgress();
    expect(p.onEvent(state('r1', 'running'))).toBe(INDETERMINATE);
    expect(p.setTotal('r1', 4)).toBe(0);
    expect(p.onEvent(task('r1', 'a', 'running'))).toBeNull();
    expect(p.onEvent(task('r1', 'a', 'succeeded'))).toBe(0.25);
    expect(p.onEvent(task('r1', 'b', 'failed'))).toBe(0.5);
    expect(p.onEvent(task('other', 'c', 'succeeded'))).toBeNull();
    expect(p.onEvent(state('r1', 'succeeded'))).toBe(NONE);
  });

  it('never passes 1 when more pipelines finish than expected, and ignores other runs’ ends', () => {
    const p = new RunProgress();
    p.onEvent(state('r1', 'running'));
    p.setTotal('r1', 1);
    expect(p.onEvent(task('r1', 'a', 'succeeded'))).toBe(1);
    expect(p.onEvent(task('r1', 'b', 'succeeded'))).toBeNull();
    expect(p.onEvent(state('r0', 'succeeded'))).toBeNull();
    expect(p.setTotal('r0', 3)).toBeNull();
  });
});

describe('the navigation guards’ URL checks', () => {
  const dir = join('/opt', 'Sluice', 'resources', 'app.asar', 'out', 'renderer');
  const ours = pathToFileURL(join(dir, 'index.html')).href;

  it('trusts only files under the renderer folder, and the dev server when there is one', () => {
    expect(isOurRenderer(ours, { dir })).toBe(true);
    expect(isOurRenderer(`${ours}#/runs`, { dir })).toBe(true);
    expect(
      isOurRenderer(pathToFileURL('/opt/Sluice/resources/app.asar/out/renderer-evil/x.html').href, {
        dir,
      }),
    ).toBe(false);
    expect(isOurRenderer(`${pathToFileURL(dir).href}/../main/index.js`, { dir })).toBe(false);
    expect(isOurRenderer('file:///etc/passwd', { dir })).toBe(false);
    expect(isOurRenderer('http://localhost:5173/', { dir })).toBe(false);
    expect(
      isOurRenderer('http://localhost:5173/x', { dir, devUrl: 'http://localhost:5173/' }),
    ).toBe(true);
    expect(isOurRenderer('http://localhost:5174/', { dir, devUrl: 'http://localhost:5173/' })).toBe(
      false,
    );
    expect(isOurRenderer('not a url', { dir })).toBe(false);
  });

  it('hands only https links to the OS browser', () => {
    expect(externalLink('https://example.com/a b')).toBe('https://example.com/a%20b');
    for (const u of [
      'http://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://h/s',
      'mailto:a@b',
      'x',
    ])
      expect(externalLink(u)).toBeNull();
  });
});

describe('keychainCipher (safeStorage as the passwords’ keychain)', () => {
  const safe = (backend: string) => ({
    isEncryptionAvailable: () => true,
    encryptString: (p: string) => Buffer.from(`enc:${p}`),
    decryptString: (b: Buffer) => b.toString().replace(/^enc:/, ''),
    getSelectedStorageBackend: () => backend as 'basic_text',
  });

  it('on Linux, basic_text and unknown are no keychain: nothing new is kept, what was kept still reads', () => {
    for (const backend of ['basic_text', 'unknown']) {
      const c = keychainCipher(safe(backend), 'linux');
      expect(c.isEncryptionAvailable()).toBe(false);
      expect(() => c.encryptString('pw')).toThrow('no OS keychain here');
      expect(c.decryptString(Buffer.from('enc:old'))).toBe('old');
    }
  });

  it('a Secret Service or KWallet on Linux, and any keychain elsewhere, is used as it is', () => {
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6'])
      expect(keychainCipher(safe(backend), 'linux').isEncryptionAvailable()).toBe(true);
    // The backend is a Linux notion; macOS and Windows always have their keychain.
    expect(keychainCipher(safe('unknown'), 'darwin').isEncryptionAvailable()).toBe(true);
    expect(keychainCipher(safe('unknown'), 'win32').encryptString('pw').toString()).toBe('enc:pw');
  });
});
