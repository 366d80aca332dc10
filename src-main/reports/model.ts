/**
 * What a run report says, gathered once from the run store and the run's output files: the
 * run's header, each pipeline's books, steps, rejects grouped by rule, loads, the profile of
 * each output file, warnings and the recipe it ran. The HTML, Excel and PDF reports draw it.
 */
import { existsSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { OutputReport, PipelineReport, StepReport } from '../../src-shared/recipe/result';
import type { ColumnProfile } from '../engine/profile';
import { profileFile } from '../io/profile-file';
import type { RecordsStore, RejectGroup, RunRow, RunsStore } from '../store/store';

export interface OutputProfile {
  /** The output file profiled, as the run recorded it. */
  path: string;
  rows: number;
  columns: ColumnProfile[];
  /** Why the profile is missing or may not be the run's (the file is gone or changed since). */
  note?: string;
}

export interface PipelineSection {
  name: string;
  description: string | null;
  /** Its outputs are reports (`report: true`, or a name that starts with report_). */
  isReport: boolean;
  status: string;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** The books; absent for a pipeline that never ran (upstream failed before it started). */
  report: PipelineReport | null;
  steps: StepReport[];
  rejects: RejectGroup[];
  outputs: OutputReport[];
  profiles: OutputProfile[];
  recipe: { hash: string; text: string } | null;
}

export interface ReportModel {
  generatedAt: string;
  run: RunRow & { durationMs: number | null; workers: number | null; storePath: string };
  pipelines: PipelineSection[];
  /** Warnings and errors the run logged. */
  warnings: { ts: string; level: string; pipeline: string | null; message: string }[];
}

export interface ModelOptions {
  /** Only these pipelines (all the run's when absent or empty). */
  pipelines?: string[];
  /** Examples kept per reject group. */
  examples?: number;
  /** Profile the output files (the Summary of an Excel workbook does without). */
  profiles?: boolean;
}

const ms = (from: string, to: string | null): number | null =>
  to ? Date.parse(to) - Date.parse(from) : null;

/** A pipeline's description and whether it is a report, from the recipe it ran. */
export function recipeFacts(
  name: string,
  recipe: { text: string; spec: string } | null,
): { description: string | null; isReport: boolean } {
  type Doc = { description?: unknown; report?: unknown } | null;
  const read = (f: () => unknown): Doc => {
    try {
      return f() as Doc;
    } catch {
      return null;
    }
  };
  const doc: Doc = recipe
    ? (read(() => JSON.parse(recipe.spec)) ?? read(() => parseYaml(recipe.text)))
    : null;
  return {
    description: typeof doc?.description === 'string' ? doc.description : null,
    isReport: typeof doc?.report === 'boolean' ? doc.report : name.startsWith('report_'),
  };
}

/** Profiles the CSV files a pipeline wrote, saying when one is gone or changed since the run. */
async function profilesOf(
  outputs: OutputReport[],
  finishedAt: string | null,
): Promise<OutputProfile[]> {
  const out: OutputProfile[] = [];
  const seen = new Set<string>();
  for (const o of outputs) {
    if (o.kind !== 'csv' || seen.has(o.path)) continue;
    seen.add(o.path);
    if (!existsSync(o.path)) {
      out.push({ path: o.path, rows: o.rows, columns: [], note: 'the file is no longer there' });
      continue;
    }
    const p = await profileFile(o.path);
    const changed =
      p.rows !== o.rows ||
      (finishedAt !== null && statSync(o.path).mtimeMs > Date.parse(finishedAt) + 1000);
    out.push({
      path: o.path,
      rows: p.rows,
      columns: p.columns,
      ...(changed
        ? { note: 'the file has changed since this run: its profile is of the file as it is now' }
        : {}),
    });
  }
  return out;
}

/** Gathers the report of a run that is in the store (the caller checks that it is). */
export async function reportModel(
  store: Pick<RunsStore, 'getRun' | 'recipe' | 'path'> &
    Pick<RecordsStore, 'rejectGroups' | 'logs'>,
  runId: string,
  opts: ModelOptions = {},
): Promise<ReportModel> {
  const { run, tasks, report } = store.getRun(runId)!;
  const wanted = opts.pipelines?.length ? new Set(opts.pipelines) : null;
  const groups = store.rejectGroups(runId, opts.examples ?? 3);
  const pipelines: PipelineSection[] = [];
  for (const t of tasks) {
    if (wanted && !wanted.has(t.pipeline)) continue;
    const recipe = store.recipe(t.recipeHash);
    const r = t.report;
    pipelines.push({
      name: t.pipeline,
      ...recipeFacts(t.pipeline, recipe),
      status: t.status,
      error: t.error,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      durationMs: ms(t.startedAt, t.finishedAt),
      report: r,
      steps: r?.steps ?? [],
      rejects: groups.filter((g) => g.pipeline === t.pipeline),
      outputs: r?.outputs ?? [],
      profiles: opts.profiles === false ? [] : await profilesOf(r?.outputs ?? [], t.finishedAt),
      recipe: recipe ? { hash: recipe.hash, text: recipe.text } : null,
    });
  }
  const warnings = store
    .logs(runId)
    .filter(
      (l) =>
        (l.level === 'warn' || l.level === 'error') &&
        (!wanted || l.pipeline === null || wanted.has(l.pipeline)),
    )
    .map((l) => ({ ts: l.ts, level: l.level, pipeline: l.pipeline, message: l.message }));
  return {
    generatedAt: new Date().toISOString(),
    run: {
      ...run,
      durationMs: ms(run.startedAt, run.finishedAt),
      workers: report?.workers ?? null,
      storePath: store.path,
    },
    pipelines,
    warnings,
  };
}
