/** Waiting on what a child process prints, as it prints it (no polling). */
import type { ChildProcess } from 'node:child_process';

export interface Output {
  /** Everything printed so far, stdout and stderr interleaved. */
  text(): string;
  /** Resolves with the first match of `re` in the output, once it has been printed. */
  until(re: RegExp, ms?: number): Promise<RegExpExecArray>;
}

export function output(child: ChildProcess): Output {
  let text = '';
  const waiting = new Set<() => void>();
  const hear = (d: Buffer): void => {
    text += d.toString();
    for (const check of waiting) check();
  };
  child.stdout?.on('data', hear);
  child.stderr?.on('data', hear);
  return {
    text: () => text,
    until: (re, ms = 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`timed out after ${ms} ms waiting for ${re}; output:\n${text}`));
        }, ms);
        const check = (): void => {
          const m = re.exec(text);
          if (!m) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve(m);
        };
        waiting.add(check);
        check();
      }),
  };
}
