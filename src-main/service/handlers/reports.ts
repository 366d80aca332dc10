/**
 * The API's report methods: a run's summary as JSON or CSV text (reports.export), and a run's
 * report or one of its outputs as a file (reports.download, outputs.download): HTML, Excel, PDF.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { ReportFormat, Result } from '../../../src-shared/api/contract';
import { htmlReport } from '../../reports/html';
import { reportModel } from '../../reports/model';
import { chromiumPrinter, NoChromiumError, type PdfPrinter } from '../../reports/pdf';
import { defaultSheets, writeWorkbook, type SheetSource } from '../../reports/xlsx';
import { csvPage, fileFacts, sqlitePage, whyNotOpen } from '../../reports/output-table';
import type { RunStore } from '../../store/store';
import type { Handlers, RunWithTasks, StoreContext } from '../context';
import { ApiFailure } from '../errors';
import { runReport } from '../run-report';

const TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
};

type FileResult = Result<'reports.download'>;

/** A file name safe on every OS: letters, digits, . _ - only. */
const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

/** A new temporary file for a result; removed again if making it fails. */
async function temporary(
  filename: string,
  format: ReportFormat,
  make: (path: string) => Promise<void>,
): Promise<FileResult> {
  const path = join(tmpdir(), `sluice-${randomUUID()}-${filename}`);
  try {
    await make(path);
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
  return {
    filename,
    content_type: TYPES[format],
    path,
    bytes: statSync(path).size,
    temporary: true,
  };
}

/** The pipelines asked for, each one the run has (else not_found naming those it has). */
function chosen(r: RunWithTasks, names: string[] | undefined): string[] | undefined {
  if (!names?.length) return undefined;
  const have = new Set(r.tasks.map((t) => t.pipeline));
  const unknown = names.filter((n) => !have.has(n));
  if (unknown.length)
    throw new ApiFailure(
      'not_found',
      `run ${r.run.id} has no pipeline ${unknown.map((n) => `"${n}"`).join(', ')}; its pipelines: ${[...have].join(', ')}`,
    );
  return names;
}

/** The latest run of the project in scope (or of the store), or null when there is none. */
function latestRun(s: RunStore, scope: string | null): string | null {
  return (
    s.listRuns({ page: 1, pageSize: 1, ...(scope ? { projectDir: scope } : {}) }).items[0]?.id ??
    null
  );
}

export function reportHandlers(
  ctx: StoreContext,
): Pick<
  Handlers,
  'reports.export' | 'reports.download' | 'outputs.list' | 'outputs.page' | 'outputs.download'
> {
  // Asked when printing: the service's options are not yet there while handlers are made.
  const print: PdfPrinter = (html, pdf) => (ctx.printPdf ?? chromiumPrinter())(html, pdf);

  const render = async (
    s: RunStore,
    r: RunWithTasks,
    format: ReportFormat,
    pipelines: string[] | undefined,
    path: string,
  ): Promise<void> => {
    if (format === 'json' || format === 'csv') {
      writeFileSync(path, runReport(s, r.run.id, format, pipelines).content);
      return;
    }
    const model = await reportModel(s, r.run.id, { pipelines, profiles: format !== 'xlsx' });
    if (format === 'xlsx') {
      // The chosen pipelines' outputs, else every report_* output.
      await writeWorkbook(path, model, defaultSheets(model, pipelines !== undefined));
      return;
    }
    const html = await htmlReport(model);
    if (format === 'html') return writeFileSync(path, html);
    const page = `${path}.html`;
    writeFileSync(page, html);
    try {
      await print(page, path);
    } catch (e) {
      if (e instanceof NoChromiumError) throw new ApiFailure('unavailable', e.message);
      throw e;
    } finally {
      rmSync(page, { force: true });
    }
  };

  return {
    'reports.export': async ({ run_id, format }) =>
      ctx.withStore((s) => {
        ctx.runOf(s, run_id);
        return runReport(s, run_id, format);
      }),

    'reports.download': async ({ run_id, format, pipeline }) =>
      ctx.withStore(async (s) => {
        const r = ctx.runOf(s, run_id);
        const pipelines = chosen(r, pipeline);
        const day = r.run.runDate ?? r.run.startedAt.slice(0, 10);
        const name = safeName(`${r.run.project}-report-${day}-${r.run.id.slice(-6)}`);
        return temporary(`${name}.${format}`, format, (path) =>
          render(s, r, format, pipelines, path),
        );
      }),

    'outputs.list': async ({ run_id }) =>
      ctx.withStore(async (s) => {
        const id = run_id ?? latestRun(s, ctx.scope);
        if (!id) return { run: null, outputs: [] };
        const r = ctx.runOf(s, id);
        const model = await reportModel(s, id, { profiles: false });
        const outputs: Result<'outputs.list'>['outputs'] = [];
        for (const p of model.pipelines) {
          let files = 0;
          p.outputs.forEach((o, i) => {
            const facts =
              o.kind === 'postgres' ? { bytes: null, modified: null } : fileFacts(o.path);
            outputs.push({
              pipeline: p.name,
              description: p.description,
              report: p.isReport,
              output: i,
              file_index: o.kind === 'csv' ? files++ : null,
              kind: o.kind,
              path: o.path,
              table: o.table ?? null,
              rows: o.rows,
              ...facts,
              cannot_open: whyNotOpen(o),
            });
          });
        }
        return {
          run: { id, status: r.run.status, started_at: r.run.startedAt, run_date: r.run.runDate },
          outputs,
        };
      }),

    'outputs.page': async ({ run_id, pipeline, output, offset, limit, sort, desc }) =>
      ctx.withStore(async (s) => {
        const r = ctx.runOf(s, run_id);
        chosen(r, [pipeline]);
        const outs = r.tasks.find((t) => t.pipeline === pipeline)!.report?.outputs ?? [];
        const o = outs[output];
        if (!o)
          throw new ApiFailure(
            'not_found',
            `pipeline ${pipeline} has ${outs.length} output${outs.length === 1 ? '' : 's'} in run ${run_id}; output ${output} is not one (count from 0)`,
          );
        const why = whyNotOpen(o);
        if (why) throw new ApiFailure('not_found', `${o.table ?? o.path} cannot be opened: ${why}`);
        const q = { offset, limit, sort, desc };
        try {
          return o.kind === 'csv' ? await csvPage(o.path, q) : sqlitePage(o.path, o.table!, q);
        } catch (e) {
          if (e instanceof RangeError) throw new ApiFailure('bad_request', e.message);
          throw e;
        }
      }),

    'outputs.download': async ({ run_id, pipeline, format, output }) =>
      ctx.withStore(async (s) => {
        const r = ctx.runOf(s, run_id);
        chosen(r, [pipeline]);
        const task = r.tasks.find((t) => t.pipeline === pipeline)!;
        const files = (task.report?.outputs ?? []).filter((o) => o.kind === 'csv');
        const o = files[output];
        if (!o)
          throw new ApiFailure(
            'not_found',
            files.length
              ? `pipeline ${pipeline} wrote ${files.length} file${files.length === 1 ? '' : 's'} in run ${run_id}; output ${output} is not one (count from 0)`
              : `pipeline ${pipeline} wrote no file in run ${run_id}`,
          );
        if (!existsSync(o.path))
          throw new ApiFailure(
            'not_found',
            `${o.path}, which ${pipeline} wrote in run ${run_id}, is no longer there`,
          );
        const stem = basename(o.path, extname(o.path));
        if (format === 'csv')
          return temporary(`${safeName(stem)}.csv`, 'csv', async (path) =>
            copyFileSync(o.path, path),
          );
        const model = await reportModel(s, run_id, { pipelines: [pipeline], profiles: false });
        const sheets: SheetSource[] = [{ name: stem, path: o.path }];
        return temporary(`${safeName(stem)}.xlsx`, 'xlsx', async (path) => {
          await writeWorkbook(path, model, sheets, { summary: false });
        });
      }),
  };
}
