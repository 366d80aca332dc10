/**
 * sluice runs, logs, report, rejects: what runs recorded, asked of the service (the project's
 * with --project, else the run store's alone), so `--json` prints the API method's result.
 */
import { Option, type Command } from 'commander';
import { copyFileSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { ReportFormat, Result } from '../../src-shared/api/contract';
import { resolve } from 'node:path';
import { RUN_STATUSES } from '../../src-shared/run-statuses';
import type { RunStatus } from '../../src-shared/vocabulary';
import { writeFileAtomic } from '../io/atomic-write';
import type { LogRow } from '../store/store';
import { allowPathOption, EXIT, storeOption, UsageError, wholeNumber } from './common';
import { table } from './format';
import { ask, printJson, storeService, using } from './service-call';

const printLine = (l: LogRow): void =>
  void process.stdout.write(
    `${l.ts} ${l.level.toUpperCase().padEnd(5)} ${l.pipeline ? `[${l.pipeline}] ` : ''}${l.message}\n`,
  );

const STATUSES = RUN_STATUSES;
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

const sizeOf = (n: number): string =>
  n < 1024
    ? `${n} bytes`
    : n < 1 << 20
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / (1 << 20)).toFixed(1)} MiB`;

/**
 * Puts a file a method made where the user asked (default: its own name in this folder),
 * whole or not at all; a temporary one is moved, an output file copied.
 */
function takeFile(f: { filename: string; path: string; temporary: boolean }, out?: string): string {
  const to = resolve(out ?? f.filename);
  const part = `${to}.part-${process.pid}`;
  try {
    copyFileSync(f.path, part);
    renameSync(part, to);
  } catch (e) {
    rmSync(part, { force: true });
    throw new UsageError(`cannot write ${to}: ${(e as Error).message}`);
  } finally {
    if (f.temporary) rmSync(f.path, { force: true });
  }
  return to;
}

/** --project: only that project's runs, in the store its sluice.yaml names. */
export const projectOption = (): Option =>
  new Option(
    '--project <dir>',
    "only this project's runs, in its run store (as its HTTP API answers)",
  );

interface Where {
  project?: string;
  store?: string;
}

const pages = (p: { page: number; page_size: number; total: number }): number =>
  Math.max(1, Math.ceil(p.total / p.page_size));

function printRuns(page: Result<'runs.list'>): void {
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
        r.started_at,
        r.rows_in,
        r.rows_out,
        r.rows_rejected,
        r.pipelines.join(','),
      ]),
    ) + `\n\npage ${page.page} of ${pages(page)} (${page.total} runs)\n`,
  );
}

function printRun(r: Result<'runs.get'>): void {
  const run = r.run;
  process.stdout.write(
    `run ${run.id} of ${run.project}: ${run.status}` +
      `${run.run_date ? ` (for ${run.run_date})` : ''}, ${run.trigger}, ` +
      `${run.target ? `into ${run.target}, ` : ''}` +
      `started ${run.started_at}${run.finished_at ? `, finished ${run.finished_at}` : ''}\n\n`,
  );
  process.stdout.write(
    table(
      ['pipeline', 'status', 'rows in', 'out', 'rejected', 'started', 'worker', 'error'],
      [
        ...r.tasks.map((t) => [
          t.pipeline,
          t.status,
          t.rows_in,
          t.rows_out,
          t.rows_rejected,
          t.started_at,
          t.worker ?? '',
          t.error ?? '',
        ]),
        // Planned, not begun: waiting for what they need or for a worker.
        ...r.queued.map((p) => [p, 'queued', '', '', '', '', '', '']),
      ],
    ) + '\n',
  );
}

export function registerStoreCommands(program: Command): void {
  program
    .command('runs')
    .description('list recorded runs, newest first; with a run id, that run and its pipelines')
    .argument('[run-id]', 'show this run and its pipelines')
    .option('--status <status>', `only runs with this status (${STATUSES.join(', ')})`)
    .option('--pipeline <name>', 'only runs that included this pipeline')
    .option('--from <yyyy-mm-dd>', 'only runs for this day or later')
    .option('--to <yyyy-mm-dd>', 'only runs for this day or earlier')
    .option('--page <n>', 'page number', wholeNumber(), 1)
    .option('--page-size <n>', 'runs per page (at most 100)', wholeNumber(), 20)
    .option('--recipe <pipeline>', 'with a run id: the recipe that pipeline ran, as it was then')
    .addOption(projectOption())
    .addOption(storeOption())
    .option(
      '--json',
      'print JSON (the result of runs.list, or runs.get with a run id, or runs.recipe)',
    )
    .action(
      async (
        runId: string | undefined,
        o: Where & {
          status?: string;
          pipeline?: string;
          from?: string;
          to?: string;
          page: number;
          pageSize: number;
          recipe?: string;
          json?: boolean;
        },
      ) => {
        if (o.recipe && !runId)
          throw new UsageError('--recipe needs a run id: sluice runs <run-id> --recipe <pipeline>');
        if (o.status && !(STATUSES as readonly string[]).includes(o.status))
          throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
        if (o.pageSize > 100) throw new UsageError('--page-size is at most 100');
        await using(await storeService(o), async (svc) => {
          if (runId && o.recipe) {
            const r = await ask(svc, 'runs.recipe', { run_id: runId, pipeline: o.recipe });
            if (o.json) return printJson(r);
            if (r.text === null)
              return void process.stderr.write(
                `run ${runId} ran ${o.recipe} with recipe ${r.hash}, recorded before Sluice kept recipe texts\n`,
              );
            return void process.stdout.write(r.text.endsWith('\n') ? r.text : r.text + '\n');
          }
          if (runId) {
            const r = await ask(svc, 'runs.get', { run_id: runId });
            return o.json ? printJson(r) : printRun(r);
          }
          const page = await ask(svc, 'runs.list', {
            status: o.status as RunStatus | undefined,
            pipeline: o.pipeline,
            from: o.from,
            to: o.to,
            page: o.page,
            page_size: o.pageSize,
          });
          return o.json ? printJson(page) : printRuns(page);
        });
      },
    );

  program
    .command('logs')
    .description('show the log of a run')
    .argument('<run-id>')
    .option('--tail <n>', 'only the last N lines', wholeNumber())
    .option('--pipeline <name>', "only this pipeline's lines")
    .option('-f, --follow', 'keep printing new lines until the run ends')
    .addOption(projectOption())
    .addOption(storeOption())
    .option('--json', 'print JSON (the result of logs.get; with --follow, a JSON line per line)')
    .action(
      async (
        runId: string,
        o: Where & { tail?: number; pipeline?: string; follow?: boolean; json?: boolean },
      ) => {
        await using(await storeService(o), async (svc) => {
          if (!o.follow) {
            const r = await ask(svc, 'logs.get', {
              run_id: runId,
              pipeline: o.pipeline,
              tail: o.tail,
            });
            return o.json ? printJson(r) : r.items.forEach(printLine);
          }
          const stop = new AbortController();
          const onInt = (): void => stop.abort();
          process.once('SIGINT', onInt);
          try {
            const { done } = await svc
              .followLogs(
                runId,
                { tail: o.tail, pipeline: o.pipeline, signal: stop.signal, every: 250 },
                o.json ? (l) => void process.stdout.write(JSON.stringify(l) + '\n') : printLine,
              )
              .catch(async (e: unknown) => {
                const { ApiFailure } = await import('../service/errors');
                throw e instanceof ApiFailure ? new UsageError(e.message) : e;
              });
            const status = await done;
            if (status && !stop.signal.aborted) process.stderr.write(`run ${runId} ${status}\n`);
          } finally {
            process.off('SIGINT', onInt);
          }
        });
      },
    );

  program
    .command('report')
    .description(
      "a run's report: one HTML page with charts (html), an Excel workbook (xlsx), a PDF (needs Chromium), or its summary as json or csv",
    )
    .argument('<run-id>')
    .addOption(new Option('--format <f>', 'html, xlsx, pdf, json or csv').default('json'))
    .option(
      '-o, --out <file>',
      'write it here (default: html, xlsx and pdf to a file named after the run here; json and csv printed)',
    )
    .option(
      '--pipeline <name>',
      'only this pipeline (repeatable); with xlsx, a sheet for each of its outputs',
      collect,
    )
    .addOption(projectOption())
    .addOption(storeOption())
    .option(
      '--json',
      "print the method's result (json and csv: reports.export; html, xlsx, pdf: reports.download)",
    )
    .action(
      async (
        runId: string,
        o: Where & { format: string; out?: string; json?: boolean; pipeline?: string[] },
      ) => {
        const { REPORT_FORMATS } = await import('../../src-shared/api/contract');
        if (!(REPORT_FORMATS as readonly string[]).includes(o.format))
          throw new UsageError(`--format must be ${REPORT_FORMATS.join(', ')}, not "${o.format}"`);
        const format = o.format as ReportFormat;
        const text = format === 'json' || format === 'csv';
        if (text && !o.pipeline?.length) {
          const r = await using(await storeService(o), (svc) =>
            ask(svc, 'reports.export', { run_id: runId, format: format as 'json' | 'csv' }),
          );
          if (o.out) {
            const out = resolve(o.out);
            writeFileAtomic(out, r.content);
            process.stderr.write(`wrote ${out}\n`);
          }
          if (o.json) printJson(r);
          else if (!o.out) process.stdout.write(r.content);
          return;
        }
        const f = await using(await storeService(o), (svc) =>
          ask(svc, 'reports.download', { run_id: runId, format, pipeline: o.pipeline }),
        );
        if (text && !o.out && !o.json) {
          process.stdout.write(readFileSync(f.path));
          rmSync(f.path, { force: true });
          return;
        }
        const out = takeFile(f, o.out);
        if (o.json) printJson({ ...f, path: out, temporary: false });
        else process.stderr.write(`wrote ${out} (${sizeOf(f.bytes)})\n`);
      },
    );

  program
    .command('export')
    .description(
      'one output of a run (a file, or a table read back) as CSV or as an Excel workbook with typed cells',
    )
    .argument('<run-id>')
    .requiredOption('--pipeline <name>', 'the pipeline whose output to export')
    .addOption(new Option('--format <f>', 'csv or xlsx').choices(['csv', 'xlsx']).default('csv'))
    .option('--output <n>', "which of the pipeline's outputs (0: the first)", wholeNumber(), 0)
    .option('-o, --out <file>', 'write it here (default: a file named after the output, here)')
    .addOption(projectOption())
    .addOption(storeOption())
    .option('--json', 'print the result of outputs.download')
    .action(
      async (
        runId: string,
        o: Where & {
          pipeline: string;
          format: 'csv' | 'xlsx';
          output: number;
          out?: string;
          json?: boolean;
        },
      ) => {
        const f = await using(await storeService(o), (svc) =>
          ask(svc, 'outputs.download', {
            run_id: runId,
            pipeline: o.pipeline,
            format: o.format,
            output: o.output,
          }),
        );
        const out = takeFile(f, o.out);
        if (o.json) printJson({ ...f, path: out, temporary: false });
        else process.stderr.write(`wrote ${out} (${sizeOf(f.bytes)})\n`);
      },
    );

  program
    .command('rejects')
    .description('show or export the rejected and removed rows of a run')
    .argument('<run-id>')
    .option('--page <n>', 'page number', wholeNumber(), 1)
    .option('--page-size <n>', 'rows per page (at most 100)', wholeNumber(), 20)
    .option('--export <file>', 'write them all to a CSV file')
    .option('--retry', 'load again the rows a database refused, now that the cause is fixed')
    .option('--data <dir>', 'with --retry: resolve source paths against this folder')
    .addOption(allowPathOption())
    .addOption(projectOption())
    .addOption(storeOption())
    .option('--json', 'print JSON (the result of rejects.list, rejects.export or rejects.retry)')
    .action(
      async (
        runId: string,
        o: Where & {
          page: number;
          pageSize: number;
          export?: string;
          json?: boolean;
          retry?: boolean;
          data?: string;
          allowPath?: string[];
        },
      ) => {
        if (o.pageSize > 100) throw new UsageError('--page-size is at most 100');
        await using(await storeService(o), async (svc) => {
          if (o.retry) {
            const { results } = await ask(svc, 'rejects.retry', { run_id: runId });
            if (o.json) printJson({ results });
            else if (results.length === 0)
              process.stdout.write(`run ${runId} has no open rows refused by a database\n`);
            for (const r of o.json ? [] : results)
              process.stdout.write(
                `${r.pipeline} ${r.step}: ${r.loaded} of ${r.retried} rows loaded, ${r.still_refused} still refused\n`,
              );
            if (results.some((r) => r.still_refused > 0)) process.exitCode = EXIT.failed;
            return;
          }
          if (o.export) {
            const r = await ask(svc, 'rejects.export', { run_id: runId });
            const file = resolve(o.export);
            writeFileAtomic(file, r.csv);
            if (o.json) printJson(r);
            else process.stdout.write(`${r.rows} rows written to ${file}\n`);
            return;
          }
          const page = await ask(svc, 'rejects.list', {
            run_id: runId,
            page: o.page,
            page_size: o.pageSize,
          });
          if (o.json) return printJson(page);
          if (page.total === 0) {
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
            ) +
              `\n\npage ${page.page} of ${pages(page)} (${page.total} rows)` +
              `${page.has_next ? `; all of them: --export FILE.csv` : ''}\n`,
          );
        });
      },
    );
}
