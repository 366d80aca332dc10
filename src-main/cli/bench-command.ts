/**
 * sluice bench and the hidden bench-phase it runs each phase with; the work is in bench.ts
 * (and bench-compare.ts), loaded when one of them runs.
 */
import type { Command } from 'commander';
import type { BenchOptions } from './bench';

export function registerBenchCommands(program: Command): void {
  program
    .command('bench')
    .description(
      'benchmark reading, cleaning, writing, grouping and joining a generated 1,000,000-row dirty sales file',
    )
    .option('--rows <n>', 'rows to generate', (v) => Number(v), 1_000_000)
    .option('--file <csv>', 'use this file instead of generating one')
    .option(
      '--compare',
      'also run the zero-config clean in pandas, DuckDB and polars where installed',
    )
    .option('--no-phases', 'only the end-to-end clean and start-up, not the in-process phases')
    .option(
      '--large <n>',
      'also the end-to-end clean of a generated file of n rows (10000000 for the scale check; minutes)',
      (v) => Number(v),
    )
    .option(
      '--only <phases>',
      'only these in-process phases (comma-separated: read, clean, full, groupby, join, sqlite, sqlite_upsert, postgres, postgres_upsert, preview, engine_local, engine_postgres, engine_postgres_load), without the end-to-end clean',
      (v: string) => v.split(',').map((p) => p.trim()),
    )
    .option('--json', 'print JSON')
    .action(async (o: BenchOptions) => {
      const { bench } = await import('./bench');
      await bench(o);
    });

  program
    .command('bench-phase', { hidden: true })
    .argument('<phase>')
    .argument('<file>')
    .action(async (phase: string, file: string) => {
      const { runPhase } = await import('./bench');
      process.stdout.write(JSON.stringify(await runPhase(phase, file)) + '\n');
    });
}
