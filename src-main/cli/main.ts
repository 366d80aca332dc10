/**
 * The `sluice` command line. Exit codes: 0 success, 1 a run failed, 2 usage or config error.
 *
 * What is imported here loads at every start, so it stays small: commander, the command
 * definitions and the error classes; each command imports the service, engine and drivers it
 * needs when it runs (tests/cli/built-cli.test.ts checks `--version` and `--help` load none).
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../../src-shared/version';
import { EXIT, UsageError } from './common';
import { ConfigError } from '../io/config-error';
import { StoreError } from '../store/store-error';
import { RunRequestError } from '../orchestrator/run-request-error';
import { SourceError } from '../io/source-error';
import { registerRunCommands } from './run-commands';
import { registerGraphCommands } from './graph-commands';
import { registerServeCommand } from './serve-command';
import { registerStoreCommands } from './store-commands';
import { registerImportCommands } from './import-commands';
import { registerDevCommands } from './dev-commands';
import { registerBenchCommands } from './bench-command';
import { withCliIo, type CliIo } from './cli-io';
import { registerProjectCommands } from './project-commands';
import { registerConnectionCommands } from './connection-commands';
import { registerVersionCommands } from './version-commands';
import { registerFormCommands } from './form-commands';

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Sluice: clean, reshape and load CSV files with recipes that replay exactly.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
  registerRunCommands(program);
  registerGraphCommands(program);
  registerServeCommand(program);
  registerStoreCommands(program);
  registerProjectCommands(program);
  registerImportCommands(program);
  registerDevCommands(program);
  registerBenchCommands(program);
  registerConnectionCommands(program);
  registerVersionCommands(program);
  registerFormCommands(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/**
 * Runs the CLI and returns the exit code; it never calls `process.exit`.
 *
 * With `io`, the call is in-process (tests, an embedding program): the output goes to `io`,
 * and whatever the commands leave on the process is undone when it returns (the exit code
 * they set, the Ctrl-C handlers they add). Such calls run one at a time, since the exit code
 * is the process's. Without `io` it is the `sluice` process itself (sluice.mjs).
 *
 * @example const code = await main(['node', 'sluice', 'runs', '--json'], { stdout, stderr });
 */
export function main(argv: string[], io?: CliIo): Promise<number> {
  if (!io) return run(argv);
  const call = queue.then(() => inProcess(argv, io));
  queue = call.catch(() => undefined);
  return call;
}

/** The in-process calls, one after the other. */
let queue: Promise<unknown> = Promise.resolve();

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

async function inProcess(argv: string[], io: CliIo): Promise<number> {
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  const listeners = SIGNALS.map((s) => new Set(process.listeners(s)));
  try {
    return await withCliIo(io, () => run(argv));
  } finally {
    process.exitCode = exitCode;
    SIGNALS.forEach((s, i) => {
      for (const l of process.listeners(s)) if (!listeners[i].has(l)) process.off(s, l);
    });
  }
}

async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.exitCode === 0
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`sluice: invalid configuration\n${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof UsageError || e instanceof StoreError || e instanceof RunRequestError) {
      process.stderr.write(`sluice: ${e.message}\n`);
      return EXIT.usage;
    }
    // A source that cannot be read is the input's fault, not ours: its message, no stack.
    if (e instanceof SourceError) {
      process.stderr.write(`sluice: ${e.message}\n`);
      return EXIT.failed;
    }
    process.stderr.write(`sluice: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.failed;
  }
}
