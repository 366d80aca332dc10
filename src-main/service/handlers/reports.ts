/**
 * The API's report methods: a run's summary as JSON or CSV text (reports.export), and a run's
 * report or one of its outputs as a file (reports.download, outputs.download): HTML, Excel, PDF.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { ReportFormat, Result } from '../../../src-shared/api/contract';
import { recipeFacts, reportModel } from '../../reports/model';
import { chromiumPrinter, NoChromiumError, type PdfPrinter } from '../../reports/pdf';
import {
  csvPage,
  fileFacts,
  sqlitePage,
  sqliteToCsv,
  whyNotOpen,
} from '../../reports/output-table';
import { connectionFor } from '../../sinks/index';
import { pgPage, pgToCsv, type PgTable } from '../../sinks/postgres-read';
import { loadProject } from '../../io/recipe-load';
import { runConnections } from '../../io/saved-connections';
import type { OutputReport } from '../../../src-shared/recipe/result';
import type { Pipeline, PostgresOutput } from '../../../src-shared/recipe/pipeline';
import type { RunStore } from '../../store/store';
import type { Handlers, RunWithTasks, StoreContext } from '../context';
import { ApiFailure } from '../errors';
import { runReport } from '../run-report';

/*
 * The chart and workbook libraries (vega, vega-lite, exceljs: about 0.6 s to load) are loaded
 * when a report or workbook is made, not with the service, which every command starts.
 */
const html = (): Promise<typeof import('../../reports/html')> => import('../../reports/html');
const xlsx = (): Promise<typeof import('../../reports/xlsx')> => import('../../reports/xlsx');

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

/** Where an output of a run is, to read it back. */
type Place =
  | { kind: 'csv'; path: string }
  | { kind: 'sqlite'; path: string; table: string }
  | { kind: 'postgres'; table: PgTable };

/** The task's output number `output`, and where to read it (a PostgreSQL one's server too). */
async function locate(
  ctx: StoreContext,
  s: RunStore,
  r: RunWithTasks,
  pipeline: string,
  output: number,
): Promise<{ o: OutputReport; place: Place }> {
  chosen(r, [pipeline]);
  const task = r.tasks.find((t) => t.pipeline === pipeline)!;
  const outs = task.report?.outputs ?? [];
  const o = outs[output];
  if (!o)
    throw new ApiFailure(
      'not_found',
      `pipeline ${pipeline} has ${outs.length} output${outs.length === 1 ? '' : 's'} in run ${r.run.id}; output ${output} is not one (count from 0)`,
    );
  const why = whyNotOpen(o);
  if (why) throw new ApiFailure('not_found', `${o.table ?? o.path} cannot be read: ${why}`);
  if (o.kind === 'csv') return { o, place: { kind: 'csv', path: o.path } };
  if (o.kind === 'sqlite') return { o, place: { kind: 'sqlite', path: o.path, table: o.table! } };
  // PostgreSQL: the connection the recipe loaded through, as it ran (retargeted), resolved now.
  const recipe = s.recipe(task.recipeHash);
  const spec = recipe ? (JSON.parse(recipe.spec) as Pipeline) : null;
  const out = spec?.outputs.find(
    (x): x is PostgresOutput => x.kind === 'postgres' && o.table === x.table,
  );
  if (!out)
    throw new ApiFailure('not_found', `run ${r.run.id} did not record where ${o.table} was loaded`);
  const project = await loadProject(r.run.projectDir).catch(() => null);
  const connections = runConnections(project?.project.connections ?? {});
  const password = ctx.password?.(out.connection);
  try {
    const c = connectionFor(out.connection, {
      connections,
      passwords: password === undefined ? undefined : { [out.connection]: password },
    });
    return {
      o,
      place: { kind: 'postgres', table: { ...c, schema: out.schema, table: out.table } },
    };
  } catch (e) {
    throw new ApiFailure('not_found', (e as Error).message);
  }
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
      const { defaultSheets, writeWorkbook } = await xlsx();
      await writeWorkbook(path, model, defaultSheets(model, pipelines !== undefined));
      return;
    }
    const text = await (await html()).htmlReport(model);
    if (format === 'html') return writeFileSync(path, text);
    const page = `${path}.html`;
    writeFileSync(page, text);
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
        // A run's outputs; with no run named (in a project), each pipeline's latest, whichever
        // run wrote it, so a run of one pipeline does not hide the others' outputs.
        const tasks =
          run_id === undefined && ctx.scope !== null
            ? [...s.lastTasks(ctx.scope, 'succeeded').values()]
            : r.tasks;
        const outputs: Result<'outputs.list'>['outputs'] = [];
        for (const t of tasks) {
          const facts = recipeFacts(t.pipeline, s.recipe(t.recipeHash));
          (t.report?.outputs ?? []).forEach((o, i) => {
            const file = o.kind === 'csv' ? fileFacts(o.path) : { bytes: null, modified: null };
            const changed =
              file.modified !== null &&
              t.finishedAt !== null &&
              Date.parse(file.modified) > Date.parse(t.finishedAt) + 1000;
            outputs.push({
              run_id: t.runId,
              pipeline: t.pipeline,
              description: facts.description,
              report: facts.isReport,
              output: i,
              kind: o.kind,
              path: o.path,
              table: o.table ?? null,
              rows: o.rows,
              ...file,
              changed,
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
        const { place } = await locate(ctx, s, ctx.runOf(s, run_id), pipeline, output);
        const q = { offset, limit, sort, desc };
        try {
          if (place.kind === 'csv') return await csvPage(place.path, q);
          if (place.kind === 'sqlite') return sqlitePage(place.path, place.table, q);
          return await pgPage(place.table, q);
        } catch (e) {
          if (e instanceof RangeError) throw new ApiFailure('bad_request', e.message);
          if (place.kind === 'postgres') throw new ApiFailure('conflict', (e as Error).message);
          throw e;
        }
      }),

    'outputs.download': async ({ run_id, pipeline, format, output }) =>
      ctx.withStore(async (s) => {
        const { o, place } = await locate(ctx, s, ctx.runOf(s, run_id), pipeline, output);
        const stem =
          place.kind === 'csv' ? basename(o.path, extname(o.path)) : (o.table ?? pipeline);
        const name = `${safeName(stem)}.${format}`;
        return temporary(name, format, async (path) => {
          // A table is read back as CSV first; a file is the CSV.
          const table = place.kind !== 'csv';
          const csv = table ? `${path}.csv` : place.path;
          try {
            if (place.kind === 'sqlite') sqliteToCsv(place.path, place.table, csv);
            if (place.kind === 'postgres') await pgToCsv(place.table, csv);
            if (format === 'csv') copyFileSync(csv, path);
            else await (await xlsx()).writeWorkbook(path, null, [{ name: stem, path: csv }]);
          } catch (e) {
            if (e instanceof RangeError) throw new ApiFailure('not_found', e.message);
            throw e;
          } finally {
            if (table) rmSync(csv, { force: true });
          }
        });
      }),
  };
}
