// Electron entry: only wiring. A second launch hands its arguments to the first and quits;
// the guards go on every webContents before any exists; then the shell (shell.ts) opens the
// project and the window. All data work lives in the service, tested in plain Node.
import { app, dialog, shell } from 'electron';
import type { OpenTarget } from './args';
import { launchTargets, pathTarget } from './instance';
import { useElectronSqlite } from './native';
import { guardContents, isOurRenderer, type RendererLocation } from './security';
import { startShell, type Shell } from './shell';

const here = import.meta.dirname;

/** Our renderer: the built files; the dev server only in development (an env var must not
 * point a packaged app at another page). */
const renderer: RendererLocation = {
  dir: `${here}/../renderer`,
  devUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
};

function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  dialog.showErrorBox('Sluice could not start', message);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  // Another Sluice is running: it got our argv through 'second-instance'.
  app.quit();
} else {
  const isTrusted = (url: string): boolean => isOurRenderer(url, renderer);
  app.on('web-contents-created', (_e, contents) =>
    guardContents(contents, { isTrusted, openExternal: (url) => shell.openExternal(url) }),
  );

  let running: Shell | null = null;
  // macOS sends open-file before 'ready' when a file launches the app, and a second launch may
  // come while this one starts: what they hand over waits here until the shell runs.
  const early: OpenTarget[] = [];
  let revealEarly = false;
  app.on('open-file', (e, path) => {
    e.preventDefault();
    const t = pathTarget(path);
    if (running) running.open([t]);
    else early.push(t);
  });
  app.on('second-instance', (_e, argv, cwd) => {
    const targets = launchTargets(argv, cwd, app.isPackaged);
    if (!running) {
      revealEarly = true;
      return void early.push(...targets);
    }
    running.reveal();
    running.open(targets);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app
    .whenReady()
    .then(() => {
      // First, before anything opens a store: better-sqlite3 built for Electron's ABI (a missing
      // or damaged build ends in the error box, saying what to do).
      useElectronSqlite({ isPackaged: app.isPackaged, appPath: app.getAppPath() });
      return startShell({
        renderer,
        isTrusted,
        mainDir: here,
        targets: [
          ...launchTargets(process.argv, process.cwd(), app.isPackaged),
          ...early.splice(0),
        ],
      });
    })
    .then((s) => {
      running = s;
      // Handed over while the shell started (after its own targets were taken).
      const later = early.splice(0);
      if (later.length) s.open(later);
      if (revealEarly) s.reveal();
    })
    .catch(fail);
}
