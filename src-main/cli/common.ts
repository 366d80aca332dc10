/** Small pieces shared by the CLI commands. */
import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';

export class UsageError extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const storeOption = (): Option =>
  new Option('--store <file>', 'run store file (default: the user data folder)');

/** Folders besides the project and its data folder that recipes may read and write. */
export const allowPathOption = (): Option =>
  new Option(
    '--allow-path <dir>',
    'let recipes read and write in this folder too (repeatable; see sluice.yaml allow_paths)',
  ).argParser((v: string, prev: string[] = []) => [...prev, resolve(v)]);

/** An option or argument parser for whole numbers of at least `min` (commander names the option). */
export const wholeNumber =
  (min = 1) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected a whole number of ${min} or more, not "${v}"`);
    return n;
  };
