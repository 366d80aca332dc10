/** The `sluice` command line. Exit codes: 0 success, 1 a run failed, 2 usage or config error. */
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError } from './common';
import { ConfigError } from '../io/recipe-load';
import { StoreError } from '../store/sqlite-store';
import { RunRequestError } from '../orchestrator/run-date';
import { SourceError } from '../io/source-error';
import { registerRunCommands } from './run-commands';
import { registerGraphCommands } from './graph-commands';
import { registerServeCommand } from './serve-command';
import { registerStoreCommands } from './store-commands';
import { registerImportCommands } from './import-commands';
import { registerDevCommands } from './dev-commands';
import { registerBenchCommands } from './bench-command';
import { registerProjectCommands } from './project-commands';

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Sluice: clean, reshape and load CSV files with recipes that replay exactly.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerRunCommands(program);
  registerGraphCommands(program);
  registerServeCommand(program);
  registerStoreCommands(program);
  registerProjectCommands(program);
  registerImportCommands(program);
  registerDevCommands(program);
  registerBenchCommands(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[]): Promise<number> {
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
