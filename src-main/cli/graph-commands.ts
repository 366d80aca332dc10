/** sluice backfill, sluice task: runs over a date range, and tasks marked by hand. */
import { Option, type Command } from 'commander';
import type { RunReport } from '../../src-shared/recipe/result';
import { allowPathOption, EXIT, storeOption, UsageError, wholeNumber } from './common';
import { table } from './format';
import { ask, projectService, serviceOptions, using } from './service-call';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** What schedule and task need, loaded when one of them runs (main.ts: a quick start). */
async function schedulerModules() {
  const [{ loadProject }, { withRunStore }, { Scheduler }] = await Promise.all([
    import('../io/recipe-load'),
    import('../store/open'),
    import('../orchestrator/scheduler'),
  ]);
  return { loadProject, withRunStore, Scheduler };
}

export function registerGraphCommands(program: Command): void {
  program
    .command('backfill')
    .description('run pipelines once per day of a date range, each with that day as run_date')
    .argument('<project>', 'project folder (with sluice.yaml)')
    .requiredOption('--pipeline <name>', 'the pipeline to backfill (repeatable)', collect)
    .requiredOption('--from <yyyy-mm-dd>', 'first day')
    .requiredOption('--to <yyyy-mm-dd>', 'last day (included)')
    .option('--parallel <n>', 'runs at the same time (default 1)', wholeNumber())
    .option('--only', 'run just the named pipelines, not what depends on them')
    .addOption(
      new Option(
        '--engine <engine>',
        "where each day's steps run: local, or postgres (default: each pipeline's engine)",
      ).choices(['local', 'postgres']),
    )
    .option('--data <dir>', 'resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(storeOption())
    .option('--json', 'print one JSON document (the runs) on stdout')
    .action(
      async (
        dir: string,
        o: {
          pipeline: string[];
          from: string;
          to: string;
          parallel?: number;
          only?: boolean;
          engine?: 'local' | 'postgres';
          data?: string;
          allowPath?: string[];
          store?: string;
          json?: boolean;
        },
      ) => {
        const reports: RunReport[] = [];
        let failure: unknown;
        // The days go through the service's runs.backfill, as over HTTP.
        const svc = await projectService(dir, {
          ...serviceOptions(o),
          observer: { onFinished: (r) => reports.push(r), onError: (e) => (failure ??= e) },
        });
        let cancelled = false;
        const days = await using(svc, async () => {
          const { days } = await ask(svc, 'runs.backfill', {
            pipelines: o.pipeline,
            from: o.from,
            to: o.to,
            parallel: o.parallel ?? 1,
            only: o.only === true,
            engine: o.engine,
          });
          // Ctrl-C cancels the backfill: closing the service stops what it started.
          const onSigint = (): void => {
            cancelled = true;
            void svc.close();
          };
          process.once('SIGINT', onSigint);
          try {
            await svc.idle();
          } finally {
            process.off('SIGINT', onSigint);
          }
          return days;
        });
        if (failure) throw failure;
        const runs = reports.sort((a, b) => days.indexOf(a.runDate!) - days.indexOf(b.runDate!));
        if (o.json) process.stdout.write(JSON.stringify({ runs }, null, 2) + '\n');
        else printBackfill(runs);
        process.exitCode =
          !cancelled && runs.length === days.length && runs.every((r) => r.status === 'succeeded')
            ? EXIT.ok
            : EXIT.failed;
      },
    );

  program
    .command('schedule')
    .description(
      'run scheduled pipelines at their times (catching up missed intervals first) and watched folders as files arrive',
    )
    .argument('<project>', 'project folder (with sluice.yaml)')
    .option('--once', 'catch up on missed intervals, then exit (no timers, no watching)')
    .option('--data <dir>', 'resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(storeOption())
    .action(
      async (
        dir: string,
        o: { once?: boolean; data?: string; allowPath?: string[]; store?: string },
      ) => {
        const { loadProject, withRunStore, Scheduler } = await schedulerModules();
        const project = await loadProject(dir);
        const say = (s: string): void =>
          void process.stdout.write(`${new Date().toISOString()} ${s}\n`);
        await withRunStore(project, o.store, async (store) => {
          let failed = 0;
          const scheduler = new Scheduler(project, store, {
            dataDir: o.data,
            allow: o.allowPath,
            onNote: say,
            onRun: (r, job) => {
              if (r.status !== 'succeeded') failed++;
              say(
                `run ${r.runId} of ${job.pipeline} for ${r.runDate} (${job.trigger}${job.file ? ` ${job.file}` : ''}): ${r.status}` +
                  r.pipelines
                    .filter((p) => p.error)
                    .map((p) => `; ${p.name} ${p.status}: ${p.error!.message}`)
                    .join(''),
              );
            },
          });
          if (!project.pipelines.some((lp) => lp.pipeline.schedule || lp.pipeline.watch))
            throw new UsageError(
              `no pipeline of ${project.project.name} has a schedule or a watched folder`,
            );
          scheduler.queueMissed();
          if (o.once) {
            await scheduler.idle();
            process.exitCode = failed ? EXIT.failed : EXIT.ok;
            return;
          }
          await scheduler.start();
          say('scheduler running; Ctrl-C stops it');
          await new Promise<void>((resolve) => {
            const stop = (): void => {
              say('stopping: running runs are cancelled');
              void scheduler.stop().then(resolve);
            };
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        });
      },
    );

  program
    .command('task')
    .description(
      'mark a pipeline of a run succeeded or skipped by hand (a resume then passes it by)',
    )
    .argument('<run-id>', 'the run')
    .argument('<pipeline>', 'the pipeline')
    .addOption(
      new Option('--mark <status>', 'the status to record')
        .choices(['succeeded', 'skipped'])
        .makeOptionMandatory(),
    )
    .option('--note <text>', 'why (kept in the log and the task)', '')
    .option('--project <dir>', 'the project, to find its run store')
    .addOption(storeOption())
    .action(
      async (
        runId: string,
        pipeline: string,
        o: { mark: 'succeeded' | 'skipped'; note: string; project?: string; store?: string },
      ) => {
        const { loadProject, withRunStore } = await schedulerModules();
        const project = o.project ? await loadProject(o.project) : null;
        await withRunStore(project, o.store, (store) => {
          if (!store.getRun(runId))
            throw new UsageError(`there is no run ${runId} in ${store.path}`);
          store.markTask(runId, pipeline, o.mark, o.note);
        });
        process.stdout.write(`${runId} ${pipeline}: marked ${o.mark}\n`);
      },
    );
}

function printBackfill(runs: RunReport[]): void {
  process.stdout.write(
    table(
      ['date', 'run', 'status', 'rows in', 'rows out', 'ms'],
      runs.map((r) => [
        r.runDate ?? '',
        r.runId,
        r.status,
        r.pipelines.reduce((s, p) => s + p.rowsIn, 0),
        r.pipelines.reduce((s, p) => s + p.rowsOut, 0),
        Date.parse(r.finishedAt) - Date.parse(r.startedAt),
      ]),
    ) + '\n',
  );
}
