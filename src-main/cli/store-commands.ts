/** sluice runs, logs, report, rejects: reading the run store. */
import type { Command } from 'commander';
import { openRunStore } from '../store/open';
import type { RunStatus, RunStore } from '../store/store';
import { RUN_STATUSES } from '../../src-shared/vocabulary';
import { EXIT, storeOption, UsageError } from './common';
import { retryRejects, RetryError } from '../service/retry';
import { exportRejects } from '../service/rejects-export';
import { table } from './format';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write';
import { followLogs } from '../service/follow-logs';
import { runReport } from '../service/run-report';
import type { LogRow } from '../store/store';

const printLine = (l: LogRow): void =>
  void process.stdout.write(
    `${l.ts} ${l.level.toUpperCase().padEnd(5)} ${l.pipeline ? `[${l.pipeline}] ` : ''}${l.message}\n`,
  );

const STATUSES: readonly string[] = RUN_STATUSES;

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${name} must be a whole number of at least 1, not "${v}"`);
    return n;
  };
}

/** Opens the store and checks that it has the run; an unknown run is a usage error. */
function storeWithRun(path: string | undefined, runId: string): RunStore {
  const store = openRunStore(null, path);
  if (!store.getRun(runId)) {
    store.close();
    throw new UsageError(`no run ${runId} in ${store.path}`);
  }
  return store;
}

export function registerStoreCommands(program: Command): void {
  program
    .command('runs')
    .description('list recorded runs, newest first')
    .option('--status <status>', `only runs with this status (${STATUSES.join(', ')})`)
    .option('--pipeline <name>', 'only runs that included this pipeline')
    .option('--page <n>', 'page number', positiveInt('--page'), 1)
    .option('--page-size <n>', 'runs per page (at most 100)', positiveInt('--page-size'), 20)
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action(
      (o: {
        status?: string;
        pipeline?: string;
        page: number;
        pageSize: number;
        store?: string;
        json?: boolean;
      }) => {
        if (o.status && !STATUSES.includes(o.status))
          throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
        if (o.pageSize > 100) throw new UsageError('--page-size is at most 100');
        const store = openRunStore(null, o.store);
        try {
          const page = store.listRuns({
            status: o.status as RunStatus | undefined,
            pipeline: o.pipeline,
            page: o.page,
            pageSize: o.pageSize,
          });
          if (o.json) {
            process.stdout.write(
              JSON.stringify({ ...page, has_next: page.hasNext }, null, 2) + '\n',
            );
            return;
          }
          if (page.items.length === 0) {
            process.stdout.write('no runs recorded yet; start one with: sluice run <project>\n');
            return;
          }
          process.stdout.write(
            table(
              ['run', 'project', 'status', 'started', 'rows in', 'out', 'rejected', 'pipelines'],
              page.items.map((r) => [
                r.id,
                r.project,
                r.status,
                r.startedAt,
                r.rowsIn,
                r.rowsOut,
                r.rowsRejected,
                r.pipelines.join(','),
              ]),
            ) +
              `\n\npage ${page.page} of ${Math.max(1, Math.ceil(page.total / page.pageSize))} (${page.total} runs)\n`,
          );
        } finally {
          store.close();
        }
      },
    );

  program
    .command('logs')
    .description('show the log of a run')
    .argument('<run-id>')
    .option('--tail <n>', 'only the last N lines', positiveInt('--tail'))
    .option('--pipeline <name>', "only this pipeline's lines")
    .option('-f, --follow', 'keep printing new lines until the run ends')
    .addOption(storeOption())
    .action(
      async (
        runId: string,
        o: { tail?: number; store?: string; pipeline?: string; follow?: boolean },
      ) => {
        const store = storeWithRun(o.store, runId);
        const stop = new AbortController();
        const onInt = (): void => stop.abort();
        process.once('SIGINT', onInt);
        try {
          const status = await followLogs(store, runId, printLine, {
            tail: o.tail,
            pipeline: o.pipeline,
            signal: stop.signal,
            every: o.follow ? 250 : undefined,
            once: !o.follow,
          });
          if (o.follow && status && !stop.signal.aborted)
            process.stderr.write(`run ${runId} ${status}\n`);
        } finally {
          process.off('SIGINT', onInt);
          store.close();
        }
      },
    );

  program
    .command('report')
    .description("write a run's summary as a report file (JSON, or CSV with a row per pipeline)")
    .argument('<run-id>')
    .option('--format <f>', 'json or csv', 'json')
    .option('-o, --out <file>', 'write it here (default: print it)')
    .addOption(storeOption())
    .action((runId: string, o: { format: string; out?: string; store?: string }) => {
      if (o.format !== 'json' && o.format !== 'csv')
        throw new UsageError(`--format must be json or csv, not "${o.format}"`);
      const store = storeWithRun(o.store, runId);
      try {
        const r = runReport(store, runId, o.format);
        if (!o.out) return void process.stdout.write(r.content);
        const out = resolve(o.out);
        writeFileAtomic(out, r.content);
        process.stderr.write(`wrote ${out}\n`);
      } finally {
        store.close();
      }
    });

  program
    .command('rejects')
    .description('show or export the rejected and removed rows of a run')
    .argument('<run-id>')
    .option('--export <file>', 'write them to a CSV file')
    .option('--retry', 'load again the rows a database refused, now that the cause is fixed')
    .option('--data <dir>', 'with --retry: resolve source paths against this folder')
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action(
      async (
        runId: string,
        o: { export?: string; store?: string; json?: boolean; retry?: boolean; data?: string },
      ) => {
        const store = storeWithRun(o.store, runId);
        try {
          if (o.retry) {
            const results = await retryRejects(store, runId, {
              data: o.data ? resolve(o.data) : undefined,
            }).catch((e) => {
              if (e instanceof RetryError) throw new UsageError(e.message);
              throw e;
            });
            if (results.length === 0)
              process.stdout.write(`run ${runId} has no open rows refused by a database\n`);
            for (const r of results)
              process.stdout.write(
                `${r.pipeline} ${r.step}: ${r.loaded} of ${r.retried} rows loaded, ${r.stillRefused} still refused\n`,
              );
            if (results.some((r) => r.stillRefused > 0)) process.exitCode = EXIT.failed;
            return;
          }
          const page = store.rejects(runId);
          if (o.export) {
            const n = exportRejects(store, runId, resolve(o.export));
            process.stdout.write(`${n} rows written to ${resolve(o.export)}\n`);
            return;
          }
          if (o.json) {
            process.stdout.write(JSON.stringify(page, null, 2) + '\n');
            return;
          }
          if (page.items.length === 0) {
            process.stdout.write(`run ${runId} rejected and removed no rows\n`);
            return;
          }
          process.stdout.write(
            table(
              ['pipeline', 'kind', 'line', 'step', 'reason', 'raw'],
              page.items.map((r) => [
                r.pipeline,
                r.kind,
                r.line,
                r.step,
                r.reason,
                (r.raw ?? '').slice(0, 60),
              ]),
            ) + `\n\n${page.total} rows\n`,
          );
        } finally {
          store.close();
        }
      },
    );
}
