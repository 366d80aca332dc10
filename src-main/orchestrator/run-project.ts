/**
 * Runs a project's pipelines in dependency order and records the run. (Parallel workers,
 * schedules and retries come with the orchestration work; the order and books are here.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import type { PipelineReport, RunReport } from '../../src-shared/recipe/result';
import { PostgresOutput, type Output, type Pipeline } from '../../src-shared/recipe/pipeline';
import { ConfigError, type LoadedPipeline, type LoadedProject } from '../io/recipe-load';
import { openStore } from '../store/sqlite-store';
import { defaultStorePath } from '../store/paths';
import type { RunStore } from '../store/store';
import { projectResources } from './resources';
import { emptyReport, runPipeline, type Progress } from './run-pipeline';

export interface RunOptions {
  pipelines?: string[];
  storePath?: string;
  dataDir?: string;
  onProgress?(p: Progress): void;
  onPipelineDone?(r: PipelineReport): void;
  /** Aborting cancels the running pipeline and skips the rest; the run is recorded as cancelled. */
  signal?: AbortSignal;
  /** postgres: database outputs go to the PostgreSQL at DATABASE_URL instead of SQLite. */
  target?: 'sqlite' | 'postgres';
  /** A connection's password from the desktop app's keychain (the environment still wins). */
  password?(connection: string): string | undefined;
}

/** The keychain passwords of a project's connections (and the default one), looked up once. */
export function projectPasswords(
  project: LoadedProject,
  lookup: RunOptions['password'],
): Record<string, string> {
  const found: Record<string, string> = {};
  if (!lookup) return found;
  for (const name of new Set(['default', ...Object.keys(project.project.connections)])) {
    const pw = lookup(name);
    if (pw !== undefined) found[name] = pw;
  }
  return found;
}

/** The pipeline with its SQLite outputs sent to PostgreSQL (schema sluice) instead. */
export function retarget(p: Pipeline, target: RunOptions['target']): Pipeline {
  if (target !== 'postgres') return p;
  return { ...p, outputs: p.outputs.map(toPostgres) };
}

/** A SQLite output as the same load into the default PostgreSQL (other outputs as they are). */
export function toPostgres(o: Output): Output {
  if (o.kind !== 'sqlite') return o;
  const { kind: _kind, path: _path, ...load } = o;
  return PostgresOutput.parse({ kind: 'postgres', ...load });
}

export function newRunId(): string {
  const t = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `run_${t}_${randomBytes(3).toString('hex')}`;
}

/** A digest of exactly the recipe that ran (project settings and every pipeline, parsed). */
export function recipeHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Pipelines in an order where each comes after what it depends on; cycles are config errors. */
export function orderPipelines(all: LoadedPipeline[], wanted?: string[]): LoadedPipeline[] {
  const byName = new Map(all.map((p) => [p.pipeline.name, p]));
  for (const name of wanted ?? []) {
    if (!byName.has(name))
      throw new ConfigError([
        {
          file: 'pipelines/',
          line: 1,
          column: 1,
          path: [],
          message: `no pipeline named "${name}" (there are: ${[...byName.keys()].join(', ')})`,
        },
      ]);
  }
  const order: LoadedPipeline[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: LoadedPipeline, trail: string[]): void => {
    const name = p.pipeline.name;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw new ConfigError([
        {
          file: p.file,
          line: 1,
          column: 1,
          path: ['depends_on'],
          message: `dependency cycle: ${[...trail, name].join(' -> ')}`,
        },
      ]);
    state.set(name, 'visiting');
    for (const dep of p.pipeline.depends_on) {
      const d = byName.get(dep);
      if (!d)
        throw new ConfigError([
          {
            file: p.file,
            line: 1,
            column: 1,
            path: ['depends_on'],
            message: `depends on unknown pipeline "${dep}"`,
          },
        ]);
      visit(d, [...trail, name]);
    }
    state.set(name, 'done');
    order.push(p);
  };
  for (const p of all) visit(p, []);
  return wanted && wanted.length ? order.filter((p) => wanted.includes(p.pipeline.name)) : order;
}

export function storePathFor(project: LoadedProject, override?: string): string {
  if (override) return resolve(override);
  if (project.project.store)
    return isAbsolute(project.project.store)
      ? project.project.store
      : resolve(project.dir, project.project.store);
  return defaultStorePath();
}

export async function runProject(
  project: LoadedProject,
  opts: RunOptions = {},
): Promise<RunReport> {
  const selected = orderPipelines(project.pipelines, opts.pipelines);
  const storePath = storePathFor(project, opts.storePath);
  const store: RunStore = openStore(storePath);
  const runId = newRunId();
  const startedAt = new Date().toISOString();
  const hash = recipeHash({ project: project.project, pipelines: selected.map((p) => p.pipeline) });
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : resolve(project.dir, project.project.data);
  const resources = projectResources(project.dir, dataDir, project.pipelines);
  const passwords = projectPasswords(project, opts.password);
  try {
    store.createRun({
      id: runId,
      project: project.project.name,
      projectDir: project.dir,
      recipeHash: hash,
      startedAt,
    });
    store.log(
      runId,
      null,
      'info',
      `run of ${project.project.name}: ${selected.map((p) => p.pipeline.name).join(', ')} (data from ${dataDir})`,
    );
    const reports: PipelineReport[] = [];
    const failed = new Set<string>();
    for (const lp of selected) {
      const p = lp.pipeline;
      const taskId = store.createTask(runId, p.name, recipeHash(p), new Date().toISOString());
      const blocked = p.depends_on.find((d) => failed.has(d));
      let report: PipelineReport;
      if (opts.signal?.aborted) {
        report = notRun(
          p,
          'cancelled',
          'cancelled',
          'the run was cancelled before this pipeline started',
        );
      } else if (blocked) {
        report = notRun(p, 'failed', 'upstream_failed', `upstream pipeline ${blocked} failed`);
      } else {
        report = await runPipeline({
          projectDir: project.dir,
          resources,
          defaultDatabase: join(project.dir, 'out', `${project.project.name}.sqlite`),
          connections: project.project.connections,
          passwords,
          pipeline: retarget(p, opts.target),
          file: lp.file,
          maxRejectRate: p.max_reject_rate ?? project.project.defaults.max_reject_rate,
          store,
          runId,
          taskId,
          onProgress: opts.onProgress,
          signal: opts.signal,
        });
      }
      if (report.status !== 'succeeded') failed.add(p.name);
      store.finishTask(taskId, report.status, report, report.steps);
      const ms = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
      const metrics: [string, number][] = [
        ['duration_ms', ms],
        ['rows_in', report.rowsIn],
        ['rows_out', report.rowsOut],
        ['rows_rejected', report.rowsRejected],
        ['rows_removed', report.rowsRemoved],
        ['rows_per_second', ms > 0 ? Math.round((report.rowsIn * 1000) / ms) : 0],
      ];
      for (const [name, value] of metrics) store.addMetric(runId, taskId, name, value);
      reports.push(report);
      opts.onPipelineDone?.(report);
    }
    const result: RunReport = {
      runId,
      project: project.project.name,
      status: opts.signal?.aborted ? 'cancelled' : failed.size ? 'failed' : 'succeeded',
      startedAt,
      finishedAt: new Date().toISOString(),
      recipeHash: hash,
      store: storePath,
      pipelines: reports,
    };
    store.finishRun(runId, result.status, result);
    store.log(
      runId,
      null,
      result.status === 'succeeded' ? 'info' : 'error',
      `run ${result.status}`,
    );
    return result;
  } finally {
    store.close();
  }
}

/** The report of a pipeline that did not run. */
function notRun(
  p: LoadedPipeline['pipeline'],
  status: 'failed' | 'cancelled',
  code: string,
  message: string,
): PipelineReport {
  const source = p.source.path ?? `output of ${p.source.pipeline}`;
  return { ...emptyReport(p.name, source, status), error: { code, message } };
}
