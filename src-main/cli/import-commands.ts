/** sluice profile, sluice import, sluice import-rules */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { FileProfile } from '../service/profile';
import { allowPathOption, storeOption, UsageError, wholeNumber } from './common';
import { stepProfile, type StepProfileFlags } from './step-profile-command';
import type { ImportResult } from '../service/import';
import { runCommand } from './run-commands';
import { table } from './format';
import { ask, printJson, projectService, using } from './service-call';

export function printProfile(
  p: FileProfile,
  out: (s: string) => void = (s) => process.stdout.write(s),
): void {
  const s = p.source;
  out(
    `${s.path}\n  ${p.rows.toLocaleString('en-US')} rows, ${s.encoding} (${s.encodingReason}), delimiter ${JSON.stringify(s.delimiter)}, ${s.header ? 'header row' : 'no header row'}\n`,
  );
  for (const w of s.warnings) out(`  warning: ${w}\n`);
  if (p.rejects.length)
    out(
      `  ${p.rejects.length} unreadable rows (first at line ${p.rejects[0].line}: ${p.rejects[0].reason})\n`,
    );
  out(
    `  suggested key: ${p.suggestedKey ? p.suggestedKey.join(' + ') : 'none (no set of up to 3 columns is unique and non-null)'}\n\n`,
  );
  out(
    table(
      ['column', 'type', 'fit', 'nulls', 'distinct', 'min', 'max', 'length', 'top value'],
      p.columns.map((c) => [
        c.name,
        c.guess.type + (c.guess.formats ? ` (${c.guess.formats.join(' | ')})` : ''),
        `${(c.guess.confidence * 100).toFixed(1)}%`,
        c.nullCount,
        // Past the distinct cap these are estimates (profile.ts): marked, not passed off as counts.
        c.distinctCapped ? `≈${c.distinctCount}` : c.distinctCount,
        c.min ?? '',
        c.max ?? '',
        c.lengthMin === null ? '' : `${c.lengthMin}-${c.lengthMax}`,
        c.topValues[0]
          ? `${c.topValues[0].value} (${c.distinctCapped ? '≈' : ''}${c.topValues[0].count})`
          : '',
      ]),
    ) + '\n',
  );
  for (const c of p.columns) {
    if (c.guess.note) out(`\n${c.name}: ${c.guess.note}`);
    if (c.guess.misfits.length)
      out(
        `\n${c.name}: values that do not fit ${c.guess.type}: ${c.guess.misfits.map((m) => JSON.stringify(m)).join(', ')}`,
      );
  }
  out('\n');
}

export function registerImportCommands(program: Command): void {
  program
    .command('profile')
    .description(
      "profile a CSV file over all rows (types, nulls, distinct values, ranges, key), or a step's data with --pipeline",
    )
    .argument('<file>', 'CSV file (with --pipeline: the project folder)')
    .option('--pipeline <name>', "profile this pipeline's data at --step instead of a file")
    .option('--step <n>', 'with --pipeline: the step, counting from 1', wholeNumber())
    .addOption(
      new Option('--side <side>', 'the data after the step (default) or before it').choices([
        'before',
        'after',
      ]),
    )
    .option(
      '--facet <COL=VALUE>',
      'only rows where COL is VALUE (repeatable; facets combine), or a facet as JSON',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--clusters <column>', 'clusters of near-identical values of this text column')
    .addOption(
      new Option('--method <m>', 'how --clusters keys values').choices(['fingerprint', 'ngram']),
    )
    .option('--recipe <file>', 'with --pipeline: this unsaved YAML recipe instead of the saved one')
    .option('--data <dir>', 'with --pipeline: resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(storeOption())
    .option('--encoding <enc>', 'text encoding (default: detect)')
    .option('--delimiter <d>', 'field delimiter (default: detect)')
    .option('--json', 'print JSON')
    .option(
      '--project <dir>',
      "profile it as the project's service does (profiles.get), printing that method's result as JSON",
    )
    .action(
      async (
        file: string,
        o: {
          encoding?: string;
          delimiter?: string;
          json?: boolean;
          project?: string;
        } & Partial<StepProfileFlags>,
      ) => {
        if (o.pipeline) return stepProfile(file, { ...o, pipeline: o.pipeline });
        if (o.step !== undefined || o.facet || o.clusters || o.side)
          throw new UsageError(
            '--step, --side, --facet and --clusters profile a step: add --pipeline',
          );
        if (o.project) {
          if (o.encoding || o.delimiter)
            throw new UsageError(
              '--project profiles with the settings it detects: no --encoding or --delimiter',
            );
          const svc = await projectService(o.project, {});
          return printJson(
            await using(svc, () => ask(svc, 'profiles.get', { path: resolve(file) })),
          );
        }
        const { profileFile } = await import('../service/profile');
        const p = await profileFile(resolve(file), {
          ...(o.encoding ? { encoding: o.encoding as 'utf-8' } : {}),
          ...(o.delimiter ? { delimiter: o.delimiter as ',' } : {}),
        });
        if (o.json) process.stdout.write(JSON.stringify(p, null, 2) + '\n');
        else printProfile(p);
      },
    );

  program
    .command('import')
    .description('write a pipeline per CSV file from what inference finds')
    .argument('<files...>', 'CSV files')
    .requiredOption('--into <dir>', 'project folder (created if missing)')
    .option('--force', 'replace pipeline files that exist already')
    .option('--run', 'then run the project, in this process (as sluice run does)')
    .addOption(storeOption())
    .action(
      async (
        files: string[],
        o: { into: string; force?: boolean; run?: boolean; store?: string },
      ) => {
        if (o.store !== undefined && !o.run)
          throw new UsageError('--store is for --run: the import records no run');
        const { ImportError } = await import('../service/import');
        const r = await importFor(files, o).catch((e) => {
          if (e instanceof ImportError) throw new UsageError(e.message);
          throw e;
        });
        for (const c of r.created) {
          const p = c.profile;
          process.stdout.write(
            `${c.pipeline}: ${p.rows.toLocaleString('en-US')} rows, ${p.source.encoding}, ${p.columns.length} columns, key ${p.suggestedKey?.join(' + ') ?? 'none'} -> ${c.file}\n`,
          );
          for (const col of p.columns)
            if (col.guess.note) process.stdout.write(`  ${col.name}: ${col.guess.note}\n`);
        }
        for (const f of r.allowed)
          process.stdout.write(
            `allowed the project's recipes to read ${f} (allow_paths in sluice.yaml)\n`,
          );
        if (!o.run) return void process.stdout.write(`\nrun it with: sluice run ${r.projectDir}\n`);
        process.stdout.write('\n');
        await runCommand(r.projectDir, { store: o.store });
      },
    );

  program
    .command('import-rules')
    .description("turn the earlier system's cleaning-rules YAML into a Sluice pipeline")
    .argument('<file>', 'YAML file with a cleaning_rules: section')
    .requiredOption('--into <dir>', 'project folder (created if missing)')
    .option('--source <file>', 'the CSV the rules apply to (default: source.csv_file in the rules)')
    .option('--name <name>', 'pipeline name (default: from destination.table or the CSV name)')
    .option('--force', 'replace a pipeline file that exists already')
    .action(
      async (
        file: string,
        o: { into: string; source?: string; name?: string; force?: boolean },
      ) => {
        // A path typed on the command line means a file from the current folder.
        const source = o.source === undefined ? undefined : resolve(o.source);
        const { importRules, RulesError } = await import('../service/import-rules');
        const r = await importRules(resolve(file), { ...o, source }).catch((e) => {
          if (e instanceof RulesError) throw new UsageError(e.message);
          throw e;
        });
        process.stdout.write(`wrote ${r.file}\n${r.notes.map((n) => `  ${n}\n`).join('')}`);
      },
    );
}

/**
 * The import of `sluice import`. With `--run`, each file is profiled on a thread that ends before
 * the run starts, so that the profile's memory is gone (profile-thread.ts); this thread loads the
 * run's code meanwhile, then starts the run's worker and its read-ahead thread together.
 */
async function importFor(
  files: string[],
  o: { into: string; force?: boolean; run?: boolean },
): Promise<ImportResult> {
  const { importFiles } = await import('../service/import');
  if (!o.run) return importFiles(files, o.into, { force: o.force });
  const { profileOnThread } = await import('../orchestrator/profile-thread');
  // What the run loads first; a module that fails to load fails again when the run asks it.
  const warm = Promise.all([
    import('../service/api-service'),
    import('../transports/dispatcher'),
    import('../orchestrator/worker-pool'),
    // The first number formatted for the summary loads ICU's number formats: 17 ms here.
    Promise.resolve().then(() => (0).toLocaleString('en-US')),
  ]).catch(() => undefined);
  const [r] = await Promise.all([
    importFiles(files, o.into, { force: o.force, profile: profileOnThread }),
    warm,
  ]);
  // The run's threads start before this thread reads the project, so that they take the
  // profile's malloc arenas (worker-pool.ts).
  await (await import('../orchestrator/worker-pool')).prestartWorker({ spareNow: true });
  return r;
}
