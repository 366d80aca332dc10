/** sluice run, sluice validate */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { phasesOf, type RunReport } from '../../src-shared/recipe/result';
import { allowPathOption, EXIT, storeOption, UsageError, wholeNumber } from './common';
import { progressPrinter } from './progress';
import { table } from './format';
import { ask, printJson, projectService, serviceOptions, using } from './service-call';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** 0 when every pipeline succeeded; 2 when a recipe does not fit its data; else 1. */
export function exitCodeOf(r: RunReport): number {
  if (r.status === 'succeeded') return EXIT.ok;
  return r.pipelines.some((p) => p.error?.code === 'config') ? EXIT.usage : EXIT.failed;
}

export function printRunSummary(
  r: RunReport,
  out: (s: string) => void = (s) => process.stdout.write(s),
): void {
  out(
    `run ${r.runId}: ${r.status}` +
      (r.runDate
        ? ` (for ${r.runDate}${r.resumedFrom ? `, resuming ${r.resumedFrom}` : ''})`
        : '') +
      '\n\n',
  );
  for (const p of r.pipelines) {
    // A file with how it was read; a server's table or query as it is (no encoding to tell).
    if (p.source.encoding)
      out(
        `${p.name} <- ${p.source.path} (${p.source.encoding}, delimiter ${JSON.stringify(p.source.delimiter)})\n`,
      );
    else if (p.source.rowsRead > 0 || p.status === 'succeeded')
      out(`${p.name} <- ${p.source.path}\n`);
  }
  out('\n');
  out(
    table(
      [
        'pipeline',
        'status',
        'rows in',
        'out',
        'rejected',
        'removed',
        'merged',
        'added',
        'started',
        'ms',
        'worker',
      ],
      r.pipelines.map((p) => [
        p.name,
        p.status,
        p.rowsIn,
        p.rowsOut,
        p.rowsRejected,
        p.rowsRemoved,
        p.rowsMerged,
        p.rowsAdded,
        p.startedAt.slice(11, 23),
        Date.parse(p.finishedAt) - Date.parse(p.startedAt),
        p.worker === undefined
          ? ''
          : `${p.worker}${(p.attempts ?? 1) > 1 ? ` (${p.attempts} attempts)` : ''}`,
      ]),
    ) + '\n',
  );
  for (const p of r.pipelines) {
    if (p.error) out(`\n${p.name} ${p.status} (${p.error.code}): ${p.error.message}\n`);
    if (p.rowsNotWritten)
      out(`${p.name}: ${p.rowsNotWritten.toLocaleString('en-US')} rows read were not written\n`);
    for (const o of p.outputs) {
      const n = (x: number | undefined): string => (x ?? 0).toLocaleString('en-US');
      const load = o.table
        ? `, table ${o.table}: ${n(o.inserted)} inserted, ${n(o.updated)} updated, ` +
          `${n(o.unchanged)} unchanged, ${n(o.rejected)} rejected` +
          (o.skipped ? `, ${n(o.skipped)} before the watermark` : '')
        : '';
      out(`${p.name} -> ${o.path} (${n(o.rows)} rows${load})\n`);
    }
  }
  const timed = r.pipelines.filter((p) => p.readMs !== undefined && !p.reusedFrom);
  if (timed.length) {
    out('\nwhere the time went (ms):\n');
    for (const p of timed)
      out(
        `${p.name}: ${phasesOf(p)
          .map((x) => `${x.name} ${Math.round(x.ms).toLocaleString('en-US')}`)
          .join(', ')}\n`,
      );
  }
  const rejected = r.pipelines.reduce(
    (s, p) =>
      s + p.rowsRejected + p.rowsRemoved + p.outputs.reduce((a, o) => a + (o.rejected ?? 0), 0),
    0,
  );
  if (rejected)
    out(
      `\nrejected and removed rows: sluice rejects ${r.runId}${r.store ? ` --store ${r.store}` : ''}\n`,
    );
}

/** Names the CPU profiles the run's pipelines wrote (`--profile`), on stderr. */
async function printProfiles(file: string, r: RunReport): Promise<void> {
  const { profilePath } = await import('../orchestrator/cpu-profile');
  const many = r.pipelines.length > 1;
  for (const p of r.pipelines) {
    const path = profilePath(file, p.name, many);
    const ran = !p.reusedFrom && p.status !== 'upstream_failed' && p.status !== 'skipped';
    if (ran && existsSync(path)) process.stderr.write(`CPU profile of ${p.name}: ${path}\n`);
  }
}

/** `sluice run`'s options (also `sluice import --run`'s, with the defaults for the rest). */
export interface RunFlags {
  pipeline?: string[];
  profile?: string;
  data?: string;
  allowPath?: string[];
  store?: string;
  json?: boolean;
  target?: 'sqlite' | 'postgres';
  connection?: string;
  engine?: 'local' | 'postgres';
  workers?: number;
  only?: boolean;
  date?: string;
  resume?: string;
}

/** Runs the project in `dir` as `sluice run` does: its summary on stdout, its exit code set. */
export async function runCommand(dir: string, o: RunFlags): Promise<void> {
  if (o.resume && (o.pipeline || o.date))
    throw new UsageError('--resume takes the pipelines and date of the run it resumes');
  if (o.profile !== undefined && !existsSync(dirname(resolve(o.profile))))
    throw new UsageError(`--profile ${o.profile}: its folder does not exist`);
  // The pipelines' first worker starts loading while the project is read and planned.
  void (await import('../orchestrator/worker-pool')).prestartWorker();
  const progress = progressPrinter(!o.json && process.stderr.isTTY === true);
  const reports: RunReport[] = [];
  let failure: unknown;
  // The run goes through the service's runs.start (or runs.resume), as over HTTP.
  const svc = await projectService(dir, {
    ...serviceOptions(o),
    workers: o.workers,
    profile: o.profile === undefined ? undefined : resolve(o.profile),
    observer: {
      onProgress: (p) => progress.update(p),
      onPipelineDone: (r) => progress.done(r.name),
      onFinished: (r) => reports.push(r),
      onError: (e) => (failure ??= e),
    },
  });
  // Ctrl-C cancels (runs.cancel): the running pipeline stops at its next batch and
  // writes nothing. Heard from the start, so a Ctrl-C before the run is recorded counts.
  let runId: string | undefined;
  let interrupted = false;
  // A Ctrl-C after the run ended finds the service closed: nothing is left to cancel.
  const cancel = (): void =>
    void (runId && ask(svc, 'runs.cancel', { run_id: runId }).catch(() => undefined));
  const onSigint = (): void => {
    if (!o.json) process.stderr.write('\ncancelling...\n');
    interrupted = true;
    cancel();
  };
  process.once('SIGINT', onSigint);
  try {
    await using(svc, async () => {
      ({ run_id: runId } = o.resume
        ? await ask(svc, 'runs.resume', {
            run_id: o.resume,
            target: o.target,
            connection: o.connection,
            engine: o.engine,
          })
        : await ask(svc, 'runs.start', {
            pipelines: o.pipeline,
            only: o.only === true,
            date: o.date,
            target: o.target,
            connection: o.connection,
            engine: o.engine,
          }));
      if (interrupted) cancel();
      await svc.idle();
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  progress.done();
  const report = reports.find((r) => r.runId === runId);
  if (!report) throw failure ?? new Error(`run ${runId} ended without a report`);
  if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else printRunSummary(report);
  if (o.profile) await printProfiles(resolve(o.profile), report);
  process.exitCode = exitCodeOf(report);
}

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('run the pipelines of a project')
    .argument('<project>', 'project folder (with sluice.yaml)')
    .option('--pipeline <name>', 'run this pipeline, then what depends on it (repeatable)', collect)
    .option('--only', 'with --pipeline: run just the named pipelines, not what depends on them')
    .option('--date <yyyy-mm-dd>', 'the logical date, {{ run_date }} in recipes (default today)')
    .option('--resume <run-id>', 'rerun what did not succeed in that run, reusing what did')
    .option('--data <dir>', 'resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(storeOption())
    .addOption(
      new Option(
        '--target <db>',
        'where database outputs load: sqlite, or postgres (DATABASE_URL)',
      ).choices(['sqlite', 'postgres']),
    )
    .option(
      '--connection <name>',
      'load database outputs into this PostgreSQL connection (saved, or in sluice.yaml): implies --target postgres',
    )
    .addOption(
      new Option(
        '--engine <engine>',
        "where the steps run: local, or postgres (compiled to SQL on the server; default: each pipeline's engine; with --resume, the resumed run's)",
      ).choices(['local', 'postgres']),
    )
    .option(
      '--workers <n>',
      "worker threads (default: the project's workers, else the cores)",
      wholeNumber(),
    )
    .option(
      '--profile <file>',
      "write a CPU profile of each pipeline's worker (.cpuprofile; more than one pipeline: <file>.<pipeline>.cpuprofile)",
    )
    .option('--json', 'print one JSON document on stdout')
    .action(runCommand);

  program
    .command('validate')
    .description('check a project: recipe syntax, and every step against its source columns')
    .argument('<project>', 'project folder')
    .option('--data <dir>', 'resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(storeOption())
    .option('--json', 'print the result of pipelines.validate')
    .action(
      async (
        dir: string,
        o: { data?: string; allowPath?: string[]; store?: string; json?: boolean },
      ) => {
        const svc = await projectService(dir, {
          ...serviceOptions(o),
        });
        const v = await using(svc, () => ask(svc, 'pipelines.validate', {}));
        if (!v.ok) process.exitCode = EXIT.usage;
        if (o.json) return printJson(v);
        if (!v.ok) return void process.stderr.write(v.problems.join('\n') + '\n');
        process.stdout.write(
          `${svc.projectName}: ${svc.project.pipelines.length} pipelines, all valid\n`,
        );
        if (v.not_checked.length)
          process.stdout.write(
            `not checked against data until their inputs are written: ${v.not_checked.join('; ')}\n`,
          );
      },
    );
}
