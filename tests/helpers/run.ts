/** A command run as a user runs it, at the project root, with a deadline. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, interleaved. */
  output: string;
  /** How long it took, in milliseconds. */
  ms: number;
}

/**
 * Runs `command args` at the project root with `env` over this process's (undefined removes a
 * variable); rejects if it outlives `ms`, after killing it.
 */
export function run(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  ms = 60_000,
): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // npm.cmd starts only through a shell on Windows (Node refuses .cmd files without one).
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      shell: process.platform === 'win32',
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      output += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not end within ${ms} ms`));
    }, ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output, ms: Date.now() - started });
    });
  });
}

/** The lines a script printed, without npm's own ("> sluice@0.1.0 start", the command). */
export const ownLines = (out: string): string[] =>
  out.split('\n').filter((l) => l.trim() && !l.startsWith('> '));
