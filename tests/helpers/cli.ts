/**
 * The `sluice` command for tests: `sluice` runs it in a child process, as a user does (for what
 * is about the process: signals, pipes, crashes, start-up); `sluiceIn` calls `main()` in this
 * process, which is much cheaper, for tests that only look at output and exit code.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src-main/cli/main';
import type { CliStream } from '../../src-main/cli/cli-io';

/**
 * The `sluice` a user runs from the checkout: the built bundle (out/cli) when it is current, as
 * it is in `npm test` (which builds first), else the sources through tsx (src-main/launch.mjs).
 */
export const SLUICE = join(__dirname, '..', '..', 'src-main', 'cli', 'sluice.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function sluice(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [SLUICE, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `sluice args` through `main()` in this process. `env` is set for the call and put back after;
 * calls run one after the other, so no other call sees it.
 */
export function sluiceIn(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const call = queue.then(() => withEnv(env, () => callMain(args)));
  queue = call.catch(() => undefined);
  return call;
}

let queue: Promise<unknown> = Promise.resolve();

async function callMain(args: string[]): Promise<CliResult> {
  const stdout = collecting();
  const stderr = collecting();
  const code = await main(['node', 'sluice', ...args], { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function withEnv<T>(env: Record<string, string>, f: () => Promise<T>): Promise<T> {
  const before = Object.entries(env).map(([k]) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  try {
    return await f();
  } finally {
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function collecting(): CliStream & { text(): string } {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  return {
    write(chunk) {
      parts.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      return true;
    },
    text: () => parts.join(''),
  };
}
