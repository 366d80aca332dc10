/**
 * Where the CLI writes. The commands write to `process.stdout` and `process.stderr`; a call of
 * `main()` in-process (tests, an embedding program) hands in its own streams instead, and for
 * the duration of that call, and only inside its async context, `process.stdout` and
 * `process.stderr` are those streams. Code outside the call (the test runner, other callers)
 * still sees the real ones, and once no call is running the real ones are put back.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Writable } from 'node:stream';

/** The part of a stream the commands use. */
export interface CliStream {
  write(chunk: string | Uint8Array): boolean;
  /** A terminal gets a progress line; absent means not a terminal. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
}

const current = new AsyncLocalStorage<Record<keyof CliIo, Writable>>();
const NAMES = ['stdout', 'stderr'] as const;
let calls = 0;
let saved: Partial<Record<(typeof NAMES)[number], PropertyDescriptor>> = {};

function install(): void {
  saved = {};
  for (const name of NAMES) {
    const real = Object.getOwnPropertyDescriptor(process, name)!;
    saved[name] = real;
    const realValue = (): unknown => (real.get ? real.get.call(process) : real.value);
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: real.enumerable,
      get: () => current.getStore()?.[name] ?? realValue(),
    });
  }
}

function uninstall(): void {
  for (const name of NAMES) {
    const real = saved[name];
    if (real) Object.defineProperty(process, name, real);
  }
  saved = {};
}

/**
 * A real stream in front of `s`: Node pipes a worker thread's output into `process.stdout`,
 * which must be a stream for that. Writes reach `s` at once, in order.
 */
function asStream(s: CliStream): Writable {
  if (s instanceof Writable) return s;
  const w = new Writable({
    decodeStrings: false,
    write(chunk: string | Uint8Array, _encoding, done) {
      s.write(chunk);
      done();
    },
  });
  return Object.assign(w, { isTTY: s.isTTY, columns: s.columns });
}

/** Runs `f` with `io` as `process.stdout`/`process.stderr` for everything `f` starts. */
export async function withCliIo<T>(io: CliIo, f: () => Promise<T>): Promise<T> {
  const streams = { stdout: asStream(io.stdout), stderr: asStream(io.stderr) };
  if (calls++ === 0) install();
  try {
    return await current.run(streams, f);
  } finally {
    if (--calls === 0) uninstall();
  }
}
