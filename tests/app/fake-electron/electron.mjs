/**
 * A fake `electron` for the built main process, run in a child process under Node. It records
 * every constructor, method call and event registration and sends each record to the test
 * over the child's IPC channel; the test drives it with messages (emit an app event, invoke an
 * ipcMain channel from a chosen URL, navigate, open a window, ask a permission, click a menu
 * item, answer the next dialog). Behaviour follows Electron's where the shell depends on it.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

const HOME = process.env.FAKE_ELECTRON_HOME ?? process.cwd();

/** JSON-safe copy: functions become '[function]', cycles '[cycle]'. */
function plain(v, seen = new WeakSet()) {
  if (typeof v === 'function') return '[function]';
  if (v === null || typeof v !== 'object') return v === undefined ? null : v;
  if (seen.has(v)) return '[cycle]';
  seen.add(v);
  if (v instanceof FakeWebContents) return `webContents#${v.id}`;
  if (v instanceof BrowserWindow) return `BrowserWindow#${v.id}`;
  if (Array.isArray(v)) return v.map((x) => plain(x, seen));
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x, seen);
  return out;
}

let seq = 0;
/** App events the test asked to emit when the main process makes a given call (`emitAppOn`). */
const triggers = [];
function record(target, method, args = []) {
  const r = { seq: ++seq, target, method, args: plain(args) };
  process.send?.({ type: 'record', record: r });
  const i = triggers.findIndex((t) => t.target === target && t.method === method);
  if (i >= 0) {
    const [t] = triggers.splice(i, 1);
    app.emit(t.name, event(), ...t.args);
  }
  return r;
}

/** An Electron-style event whose preventDefault a test can observe. */
function event(extra = {}) {
  const e = {
    defaultPrevented: false,
    preventDefault: () => (e.defaultPrevented = true),
    ...extra,
  };
  return e;
}

/** An EventEmitter that records each listener registration. */
class Recorded extends EventEmitter {
  constructor(name) {
    super();
    this.recordName = name;
  }
  on(name, f) {
    record(this.recordName, 'on', [name]);
    return super.on(name, f);
  }
  once(name, f) {
    record(this.recordName, 'once', [name]);
    return super.once(name, f);
  }
}

// ── session ─────────────────────────────────────────────────────────────────────────────
class FakeSession {
  permissionRequest = null;
  permissionCheck = null;
  setPermissionRequestHandler(f) {
    record('session', 'setPermissionRequestHandler', [f]);
    this.permissionRequest = f;
  }
  setPermissionCheckHandler(f) {
    record('session', 'setPermissionCheckHandler', [f]);
    this.permissionCheck = f;
  }
}
const defaultSession = new FakeSession();
export const session = { defaultSession, fromPartition: () => defaultSession };

// ── webContents ──────────────────────────────────────────────────────────────────────────
let contentsIds = 0;
const allContents = [];
class FakeWebContents extends Recorded {
  constructor() {
    const id = ++contentsIds;
    super(`webContents#${id}`);
    this.id = id;
    this.url = '';
    this.session = defaultSession;
    this.windowOpenHandler = null;
    this.destroyed = false;
    /** The page's beforeunload handler asks to stay (the test sets it: `setUnloadGuard`). */
    this.guardsUnload = false;
    allContents.push(this);
  }
  send(channel, ...args) {
    record(this.recordName, 'send', [channel, ...args]);
  }
  setWindowOpenHandler(f) {
    record(this.recordName, 'setWindowOpenHandler', [f]);
    this.windowOpenHandler = f;
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** A small PDF naming the page it was printed from (a real one needs Chromium's printing). */
  async printToPDF(options) {
    record(this.recordName, 'printToPDF', [options]);
    return Buffer.from(`%PDF-1.4\n% printed from ${this.url}\n%%EOF\n`);
  }
}

// ── app ──────────────────────────────────────────────────────────────────────────────────
let ready = false;
/** Windows closed by app.quit(): Electron then emits no window-all-closed. */
let quitting = false;
let resolveReady;
const readyPromise = new Promise((r) => (resolveReady = r));

class FakeApp extends Recorded {
  isPackaged = process.env.FAKE_ELECTRON_PACKAGED === '1';
  name = 'Sluice';
  whenReady() {
    record('app', 'whenReady');
    return readyPromise;
  }
  isReady() {
    return ready;
  }
  requestSingleInstanceLock() {
    record('app', 'requestSingleInstanceLock');
    return process.env.FAKE_ELECTRON_LOCK !== 'taken';
  }
  getPath(name) {
    record('app', 'getPath', [name]);
    return join(HOME, name);
  }
  getLocaleCountryCode() {
    return process.env.FAKE_ELECTRON_COUNTRY ?? 'GB';
  }
  /** The project root in development; resources/app.asar packaged. */
  getAppPath() {
    return this.isPackaged ? join(HOME, 'resources', 'app.asar') : join(HOME, 'app');
  }
  getVersion() {
    return '0.0.0-fake';
  }
  getName() {
    return this.name;
  }
  addRecentDocument(path) {
    record('app', 'addRecentDocument', [path]);
  }
  clearRecentDocuments() {
    record('app', 'clearRecentDocuments');
  }
  focus(o) {
    record('app', 'focus', [o]);
  }
  /** As Electron: before-quit, then every window is closed (one that stays open cancels the
   * quit), then will-quit (preventDefault cancels it too), then quit. */
  quit() {
    record('app', 'quit');
    const e = event();
    this.emit('before-quit', e);
    if (e.defaultPrevented) return;
    quitting = true;
    for (const w of BrowserWindow.getAllWindows()) w.close();
    quitting = false;
    if (BrowserWindow.getAllWindows().length) return void record('app', 'quit cancelled');
    const w = event();
    this.emit('will-quit', w);
    if (w.defaultPrevented) return void record('app', 'will-quit prevented');
    this.emit('quit', event(), 0);
    finish(0);
  }
  exit(code = 0) {
    record('app', 'exit', [code]);
    finish(code);
  }
}
export const app = new FakeApp('app');

/** Leaves once every record has reached the test. */
function finish(code) {
  if (!process.send) process.exit(code);
  process.send({ type: 'exit', code }, () => process.exit(code));
}

// ── BrowserWindow ────────────────────────────────────────────────────────────────────────
let windowIds = 0;
const windows = [];
export class BrowserWindow extends Recorded {
  constructor(options = {}) {
    const id = ++windowIds;
    super(`BrowserWindow#${id}`);
    this.id = id;
    record(this.recordName, 'constructor', [options]);
    this.options = options;
    this.bounds = {
      x: options.x ?? 100,
      y: options.y ?? 100,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    this.maximized = false;
    this.minimized = false;
    this.destroyed = false;
    this.webContents = new FakeWebContents();
    windows.push(this);
    app.emit('browser-window-created', event(), this);
    app.emit('web-contents-created', event(), this.webContents);
  }
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed);
  }
  static getFocusedWindow() {
    return windows.find((w) => !w.destroyed) ?? null;
  }
  static fromWebContents(wc) {
    return windows.find((w) => w.webContents === wc) ?? null;
  }
  load(url) {
    this.webContents.url = url;
    setImmediate(() => {
      this.webContents.emit('did-start-loading', event());
      this.webContents.emit('did-finish-load', event());
      this.emit('ready-to-show', event());
    });
    return Promise.resolve();
  }
  loadFile(path) {
    record(this.recordName, 'loadFile', [path]);
    return this.load(new URL(`file://${path}`).href);
  }
  loadURL(url) {
    record(this.recordName, 'loadURL', [url]);
    return this.load(url);
  }
}
for (const m of [
  'show',
  'focus',
  'restore',
  'maximize',
  'unmaximize',
  'minimize',
  'setProgressBar',
  'setTitle',
  'setBounds',
  'setRepresentedFilename',
  'setDocumentEdited',
  'destroy',
])
  BrowserWindow.prototype[m] = function (...args) {
    record(this.recordName, m, args);
    if (m === 'maximize') this.maximized = true;
    if (m === 'unmaximize') this.maximized = false;
    if (m === 'minimize') this.minimized = true;
    if (m === 'restore') this.minimized = false;
    if (m === 'setBounds') this.bounds = { ...this.bounds, ...args[0] };
    if (m === 'destroy') this.destroyed = this.webContents.destroyed = true;
  };
Object.assign(BrowserWindow.prototype, {
  isMaximized() {
    return this.maximized;
  },
  isMinimized() {
    return this.minimized;
  },
  isDestroyed() {
    return this.destroyed;
  },
  getBounds() {
    return { ...this.bounds };
  },
  getNormalBounds() {
    return { ...this.bounds };
  },
  close() {
    record(this.recordName, 'close');
    const e = event();
    this.emit('close', e);
    if (e.defaultPrevented) return;
    // The page's beforeunload asked to stay: Electron asks the main process, whose
    // preventDefault means leave anyway; without it the window stays open.
    if (this.webContents.guardsUnload) {
      const u = event();
      this.webContents.emit('will-prevent-unload', u);
      if (!u.defaultPrevented) return void record(this.recordName, 'unload prevented');
    }
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    if (!quitting && !BrowserWindow.getAllWindows().length) app.emit('window-all-closed');
  },
});

// ── ipcMain ──────────────────────────────────────────────────────────────────────────────
const handlers = new Map();
class FakeIpcMain extends Recorded {
  handle(channel, f) {
    record('ipcMain', 'handle', [channel]);
    if (handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, f);
  }
  removeHandler(channel) {
    record('ipcMain', 'removeHandler', [channel]);
    handlers.delete(channel);
  }
}
export const ipcMain = new FakeIpcMain('ipcMain');

// ── dialog, shell ────────────────────────────────────────────────────────────────────────
/** Answers the test queued for the next dialogs; a dialog with none is cancelled. */
const answers = [];
/** Buttons the test will click in the next message boxes, by label (`answerButtons`). */
const buttons = [];
const withoutWindow = (args) => (args[0] instanceof BrowserWindow ? args.slice(1) : args);
/** The index of the button queued for this box; with none, `fallback` (the box dismissed). */
function clicked(options, fallback) {
  const label = buttons.shift();
  if (label === undefined) return fallback;
  const i = (options.buttons ?? ['OK']).indexOf(label);
  if (i < 0) throw new Error(`no button "${label}" in ${JSON.stringify(options.buttons)}`);
  return i;
}
export const dialog = {
  async showOpenDialog(...args) {
    record('dialog', 'showOpenDialog', args);
    const a = answers.shift();
    return a ? { canceled: false, filePaths: [a] } : { canceled: true, filePaths: [] };
  },
  async showSaveDialog(...args) {
    record('dialog', 'showSaveDialog', args);
    const a = answers.shift();
    return a ? { canceled: false, filePath: a } : { canceled: true, filePath: '' };
  },
  async showMessageBox(...args) {
    record('dialog', 'showMessageBox', withoutWindow(args));
    return { response: clicked(withoutWindow(args)[0], 0), checkboxChecked: false };
  },
  /** Escape (or closing the box) answers its cancelId, as Electron does. */
  showMessageBoxSync(...args) {
    const [options] = withoutWindow(args);
    record('dialog', 'showMessageBoxSync', [options]);
    return clicked(options, options.cancelId ?? 0);
  },
  showErrorBox(title, content) {
    record('dialog', 'showErrorBox', [title, content]);
  },
};

export const shell = {
  async openExternal(url) {
    record('shell', 'openExternal', [url]);
  },
  async openPath(path) {
    record('shell', 'openPath', [path]);
    return '';
  },
  showItemInFolder(path) {
    record('shell', 'showItemInFolder', [path]);
  },
};

// ── Menu ─────────────────────────────────────────────────────────────────────────────────
let applicationMenu = null;
export class Menu {
  constructor(template) {
    this.template = template;
  }
  static buildFromTemplate(template) {
    record('Menu', 'buildFromTemplate', [template]);
    return new Menu(template);
  }
  static setApplicationMenu(menu) {
    record('Menu', 'setApplicationMenu', [menu?.template ?? null]);
    applicationMenu = menu;
  }
  static getApplicationMenu() {
    return applicationMenu;
  }
}

// ── nativeTheme, screen, safeStorage, Notification ───────────────────────────────────────
let themeSource = 'system';
export const nativeTheme = new Recorded('nativeTheme');
Object.defineProperty(nativeTheme, 'themeSource', {
  get: () => themeSource,
  set: (v) => {
    record('nativeTheme', 'set themeSource', [v]);
    themeSource = v;
  },
});
nativeTheme.shouldUseDarkColors = false;

const DISPLAYS = JSON.parse(
  process.env.FAKE_ELECTRON_DISPLAYS ?? '[{"x":0,"y":0,"width":1920,"height":1080}]',
).map((b, i) => ({
  id: i + 1,
  bounds: b,
  workArea: { x: b.x, y: b.y, width: b.width, height: b.height - 40 },
  scaleFactor: 1,
}));
export const screen = {
  getAllDisplays: () => DISPLAYS,
  getPrimaryDisplay: () => DISPLAYS[0],
};

/** A reversible cipher, so stored passwords are not plain text but come back. On Linux it
 * reports the backend FAKE_ELECTRON_STORAGE_BACKEND names (a desktop's Secret Service by default). */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => {
    record('safeStorage', 'getSelectedStorageBackend');
    return process.env.FAKE_ELECTRON_STORAGE_BACKEND ?? 'gnome_libsecret';
  },
  // Recorded without its argument: the plain password stays out of the records.
  encryptString: (s) => {
    record('safeStorage', 'encryptString');
    return Buffer.from(`fake:${Buffer.from(s, 'utf8').toString('base64')}`, 'utf8');
  },
  decryptString: (b) => {
    const s = Buffer.from(b).toString('utf8');
    if (!s.startsWith('fake:')) throw new Error('not encrypted by this safeStorage');
    return Buffer.from(s.slice(5), 'base64').toString('utf8');
  },
};

export class Notification {
  static isSupported() {
    return false;
  }
  constructor(o) {
    record('Notification', 'constructor', [o]);
  }
  show() {}
}

export const contextBridge = {};
export const ipcRenderer = {};
export const webUtils = {};

// A packaged app finds its extra files (docs) under process.resourcesPath.
if (app.isPackaged) process.resourcesPath = join(HOME, 'resources');

// Electron's own versions, as the About box reads them.
try {
  Object.assign(process.versions, { electron: '45.0.0-fake', chrome: '140.0.0.0-fake' });
} catch {
  // Some Node builds freeze process.versions: the About box then says '?'.
}

// ── The test's side: control messages ────────────────────────────────────────────────────
function findItem(items, labels) {
  const [first, ...rest] = labels;
  const item = (items ?? []).find((i) => i.label === first);
  if (!item) throw new Error(`no menu item "${first}" among ${(items ?? []).map((i) => i.label)}`);
  return rest.length ? findItem(item.submenu, rest) : item;
}

const contentsOf = (id) => {
  const c = allContents.find((x) => x.id === id);
  if (!c) throw new Error(`no webContents#${id}`);
  return c;
};

const ops = {
  ready() {
    ready = true;
    app.emit('ready', event(), {});
    resolveReady();
  },
  emitApp(name, ...args) {
    const e = event();
    app.emit(name, e, ...args);
    return { defaultPrevented: e.defaultPrevented };
  },
  async invoke(channel, url, contentsId, ...args) {
    const f = handlers.get(channel);
    if (!f) throw new Error(`no handler for ${channel}`);
    const sender = contentsId ? contentsOf(contentsId) : windows[0]?.webContents;
    return f({ sender, senderFrame: url === null ? null : { url } }, ...args);
  },
  channels: () => [...handlers.keys()],
  contentsEvent(id, name, ...args) {
    const e = event();
    contentsOf(id).emit(name, e, ...args);
    return { defaultPrevented: e.defaultPrevented };
  },
  windowEvent(id, name, ...args) {
    const w = windows.find((x) => x.id === id);
    const e = event();
    w.emit(name, e, ...args);
    return { defaultPrevented: e.defaultPrevented };
  },
  windowOpen(id, url) {
    const f = contentsOf(id).windowOpenHandler;
    if (!f) throw new Error(`webContents#${id} has no window-open handler`);
    return f({ url, frameName: '', features: '', disposition: 'new-window' });
  },
  /** A webContents made without a BrowserWindow (an iframe's, a devtools'), as Electron announces them. */
  newContents() {
    const c = new FakeWebContents();
    app.emit('web-contents-created', event(), c);
    return c.id;
  },
  async permission(name) {
    const req = defaultSession.permissionRequest;
    const check = defaultSession.permissionCheck;
    const granted = req
      ? await new Promise((r) => req(windows[0]?.webContents, name, r, { requestingUrl: '' }))
      : 'no handler';
    return {
      granted,
      checked: check ? check(windows[0]?.webContents, name, '', {}) : 'no handler',
    };
  },
  async clickMenu(...labels) {
    const item = findItem(applicationMenu?.template, labels);
    if (!item.click) throw new Error(`menu item ${labels.join(' > ')} has no click`);
    await item.click(item, BrowserWindow.getFocusedWindow(), {});
  },
  answerDialogs(...paths) {
    answers.push(...paths);
  },
  answerButtons(...labels) {
    buttons.push(...labels);
  },
  /** The page in webContents `id` has (or no longer has) a beforeunload guard. */
  setUnloadGuard(id, on) {
    contentsOf(id).guardsUnload = on;
  },
  /** Emits an app event the moment the main process makes this call, e.g. while it starts. */
  emitAppOn(target, method, name, ...args) {
    triggers.push({ target, method, name, args });
  },
  window(id) {
    const w = windows.find((x) => x.id === id);
    return w && { bounds: w.bounds, maximized: w.maximized, destroyed: w.destroyed };
  },
  setBounds(id, bounds, maximized) {
    const w = windows.find((x) => x.id === id);
    w.bounds = bounds;
    w.maximized = maximized;
  },
  /** Calls a method of a window as the user's OS would (minimize, maximize, close). */
  windowCall(id, method, ...args) {
    return windows.find((x) => x.id === id)[method](...args);
  },
  closeWindow(id) {
    windows.find((x) => x.id === id).close();
  },
  themeSource: () => themeSource,
  quit: () => app.quit(),
};

process.on('message', async (m) => {
  if (!m || m.type !== 'call') return;
  try {
    const value = await ops[m.op](...(m.args ?? []));
    process.send({ type: 'reply', id: m.id, ok: true, value: plain(value) });
  } catch (e) {
    process.send({ type: 'reply', id: m.id, ok: false, error: String(e?.stack ?? e) });
  }
});

// The test waits for this before it talks to the fake.
process.send?.({ type: 'hello' });
