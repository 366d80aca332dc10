/** Small pieces shared by the CLI commands. */
import { Option } from 'commander';

export class UsageError extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const storeOption = (): Option =>
  new Option('--store <file>', 'run store file (default: the user data folder)');
