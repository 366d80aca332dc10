/**
 * A PDF of the HTML report, printed by Chromium: the desktop app passes its own printer
 * (webContents.printToPDF); elsewhere a Chromium or Chrome on this computer prints it headless
 * (CHROMIUM_PATH, else the usual names on PATH and the usual install places).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Prints the HTML file `html` to the PDF file `pdf`. */
export type PdfPrinter = (html: string, pdf: string) => Promise<void>;

/** No Chromium to print with: the message says what to install. */
export class NoChromiumError extends Error {
  constructor(message?: string) {
    super(
      message ??
        'a PDF needs Chromium or Google Chrome, and none was found: install one (Debian and Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to its program; the HTML report (--format html) needs nothing',
    );
  }
}

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const PLACES = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

const runnable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The Chromium to print with: CHROMIUM_PATH when set (it must exist), else one found, else null. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const given = env.CHROMIUM_PATH;
  if (given) {
    if (!runnable(given))
      throw new NoChromiumError(
        `CHROMIUM_PATH is ${given}, which is not a program that can be run: set it to Chromium's or Chrome's program, or unset it`,
      );
    return given;
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const n of NAMES) if (runnable(join(dir, n))) return join(dir, n);
  return PLACES.find((p) => existsSync(p)) ?? null;
}

/** Prints with a headless Chromium: a fresh profile, no network, no header or footer. */
export function chromiumPrinter(
  chromium: string | null = findChromium(),
  timeoutMs = 120_000,
): PdfPrinter {
  return async (html, pdf) => {
    if (!chromium) throw new NoChromiumError();
    const profile = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      `--user-data-dir=${profile}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${pdf}`,
      // Chromium refuses to run as root with its sandbox; the page has no script and no network.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      pathToFileURL(html).href,
    ];
    try {
      await new Promise<void>((done, fail) => {
        const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => {
          if (err.length < 4000) err += d.toString();
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', (e) => {
          clearTimeout(timer);
          fail(new Error(`${chromium} could not be started: ${e.message}`));
        });
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          if (code === 0 && existsSync(pdf) && statSync(pdf).size > 0) return done();
          const why = signal
            ? `was stopped (${signal}${signal === 'SIGKILL' ? ', too slow' : ''})`
            : `exited with ${code}`;
          const last = err.trim().split('\n').slice(-2).join(' ');
          fail(new Error(`${chromium} did not print the PDF: it ${why}${last ? `: ${last}` : ''}`));
        });
      });
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  };
}
