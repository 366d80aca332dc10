/**
 * Runs a project's pipelines as a graph and records the run: independent pipelines run side by
 * side on a pool of worker threads, each as soon as what it depends on has succeeded; a failure
 * marks its dependents upstream_failed and the rest go on. The main thread only schedules and
 * records (it is the run store's only writer); workers read, transform and load.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { PipelineReport, RunReport } from '../../src-shared/recipe/result';
import type { Engine, Pipeline } from '../../src-shared/recipe/pipeline';
import type { LoadedPipeline, LoadedProject } from '../io/recipe-load';
import { runConnections } from '../io/saved-connections';
import { CANCEL_LOOK_MS, HEARTBEAT_MS } from '../store/sqlite-store';
import type { LogLevel, RunsStore, RecordsStore } from '../store/store';
import { decideRound, satisfied } from './decide';
import { pathPolicy } from './path-policy';
import { planRun, withLogHook, type RunPlan } from './run-plan';
import { inLane, laneOf } from './lanes';
import { recipeHash, taskRecipe } from './recipe-hash';
import { retarget, targetWords, type Target } from './retarget';
import { removeLeftovers } from './leftovers';
import { notifyRun } from './notify';
import { policyOf, runWithRetries } from './retries';
import { previousNotes, type Progress } from './run-pipeline';
import type { PipelineTask } from './task';
import { WorkerPool } from './worker-pool';
import { profilePath } from './cpu-profile';
import { withEngine } from './run-on-server';

export interface RunOptions {
  pipelines?: string[];
  dataDir?: string;
  /** Folders besides the project and its data that recipes may use (`--allow-path`). */
  allow?: string[];
  onProgress?(p: Progress): void;
  onPipelineDone?(r: PipelineReport): void;
  /** Aborting cancels the running pipeline and skips the rest; the run is recorded as cancelled. */
  signal?: AbortSignal;
  /**
   * postgres: database outputs go to the PostgreSQL at DATABASE_URL instead of SQLite;
   * postgres:<name> to that connection. Recorded with the run; a resume without one takes it.
   */
  target?: Target;
  /** Where the steps run, for every pipeline of the run (otherwise each pipeline's own `engine`). */
  engine?: Engine;
  /** Worker threads (default: the project's `workers`, else the number of cores). */
  workers?: number;
  /** The logical date (YYYY-MM-DD) for `{{ run_date }}`; default today. */
  runDate?: string;
  /** What started the run (manual, schedule, backfill, watch); recorded with it. */
  trigger?: string;
  /** Reruns what did not succeed in this earlier run, reusing what did (same date and pipelines). */
  resume?: string;
  /**
   * With named pipelines: also run what is downstream of them (their success triggers it),
   * each dependent whose other upstreams have succeeded before.
   */
  downstream?: boolean;
  /** false: do not call the project's notification hooks (the desktop app notifies itself). */
  notify?: boolean;
  /** This file instead of the pipeline's own source (a watched folder's new file). */
  sourceFile?: { pipeline: string; path: string };
  /** The id to record the run under (default: a new one). */
  runId?: string;
  /** The run is recorded and about to start its pipelines: these, in order (its plan). */
  onStarted?(runId: string, planned: string[]): void;
  /** A pipeline started (on a worker). */
  onPipelineStart?(pipeline: string): void;
  /** The run is over and recorded (whatever its status). */
  onFinished?(report: RunReport): void;
  /** A line was written to the run's log. */
  onLog?(line: { level: LogLevel; pipeline: string | null; message: string }): void;
  /** A connection's password from the desktop app's keychain (the environment still wins). */
  password?(connection: string): string | undefined;
  /**
   * Write a CPU profile of each pipeline's worker to this file (with the pipeline's name in it
   * when the run has more than one: cpu-profile.ts).
   */
  profile?: string;
}

/**
 * The keychain passwords of the connections a run's pipelines read from and load into (as
 * retargeted), looked up once: a kept password that cannot be read fails only a run that needs it.
 */
export function projectPasswords(
  pipelines: Pipeline[],
  lookup: RunOptions['password'],
): Record<string, string> {
  const found: Record<string, string> = {};
  if (!lookup) return found;
  const names = pipelines.flatMap((p) => [
    ...(p.source.postgres ? [p.source.postgres.connection] : []),
    ...p.outputs.flatMap((o) => (o.kind === 'postgres' ? [o.connection] : [])),
  ]);
  for (const name of new Set(names)) {
    const pw = lookup(name);
    if (pw !== undefined) found[name] = pw;
  }
  return found;
}

export function newRunId(): string {
  const t = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `run_${t}_${randomBytes(3).toString('hex')}`;
}

/**
 * Runs the project and records the run in `store`, which its caller opened and closes (see
 * store/open.ts); the run folder with its summary sits beside the store's file.
 */
export async function runProject(
  project: LoadedProject,
  runStore: RunsStore & RecordsStore,
  opts: RunOptions = {},
): Promise<RunReport> {
  const storePath = runStore.path;
  const store = withLogHook(runStore, opts.onLog);
  const plan: RunPlan = planRun(project, store, opts);
  const { selected, all, runDate, reuse, notTriggered, target, engine } = plan;
  const runId = opts.runId ?? newRunId();
  const startedAt = new Date().toISOString();
  const hash = recipeHash({
    project: project.project,
    pipelines: selected.map((p) => p.pipeline),
    runDate,
  });
  const paths = pathPolicy(project, { dataDir: opts.dataDir, storePath, allow: opts.allow });
  const dataDir = paths.dataDir;
  const passwords = projectPasswords(
    selected.map((lp) => retarget(lp.pipeline, target)),
    opts.password,
  );
  // sluice.yaml's connections and the user's saved ones (a saved one wins a name clash).
  const connections = runConnections(project.project.connections);
  const size = Math.max(
    1,
    Math.min(opts.workers ?? project.project.workers ?? availableParallelism(), selected.length),
  );
  const pool = new WorkerPool(size);
  const trigger = opts.resume ? 'resume' : (opts.trigger ?? 'manual');
  // What workers need to find the outputs other pipelines wrote (without the recipe texts).
  const known = all.map((x) => ({ ...x, text: '' }));
  let beat: NodeJS.Timeout | undefined;
  let asking: NodeJS.Timeout | undefined;
  // Cancelled by whoever started it, or by another process through the store (requestCancel).
  const asked = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, asked.signal]) : asked.signal;
  try {
    store.createRun({
      id: runId,
      project: project.project.name,
      projectDir: project.dir,
      recipeHash: hash,
      startedAt,
      runDate,
      trigger,
      resumedFrom: opts.resume,
      target,
      engine,
      plan: selected.map((p) => p.pipeline.name),
    });
    store.log(
      runId,
      null,
      'info',
      `run of ${project.project.name} for ${runDate}: ${selected.map((p) => p.pipeline.name).join(', ')} (data from ${dataDir}; ${size} worker${size > 1 ? 's' : ''})` +
        (opts.resume
          ? `; resumes ${opts.resume}, reusing ${[...reuse.keys()].join(', ') || 'nothing'}`
          : '') +
        (target ? `; database outputs load into ${targetWords(target)}` : '') +
        (engine ? `; every pipeline's steps run with the ${engine} engine` : ''),
    );
    for (const line of plan.changed) store.log(runId, null, 'info', line);
    // The heartbeat tells other processes this run is alive (see RunStore.recoverInterrupted).
    beat = setInterval(() => {
      try {
        store.heartbeat(runId);
      } catch {
        // A busy store misses one beat; the next one will do.
      }
    }, HEARTBEAT_MS);
    beat.unref();
    asking = setInterval(() => {
      try {
        if (!asked.signal.aborted && store.cancelRequested(runId)) {
          store.log(runId, null, 'info', 'cancel asked by another process (through the run store)');
          asked.abort();
        }
      } catch {
        // A busy store misses one look; the next one will do.
      }
    }, CANCEL_LOOK_MS);
    asking.unref();
    const leftovers = removeLeftovers(project.dir, all);
    if (leftovers.length)
      store.log(
        runId,
        null,
        'info',
        `removed ${leftovers.length} scratch file${leftovers.length > 1 ? 's' : ''} of killed runs: ${leftovers.join(', ')}`,
      );
    opts.onStarted?.(
      runId,
      selected.map((p) => p.pipeline.name),
    );
    if (notTriggered.length)
      store.log(runId, null, 'info', `not triggered: ${notTriggered.join('; ')}`);
    const reports = new Map<string, PipelineReport>();
    const record = (p: Pipeline, taskId: number, report: PipelineReport): void => {
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
      reports.set(p.name, report);
      opts.onPipelineDone?.(report);
    };
    const skip = (lp: LoadedPipeline, report: PipelineReport): void =>
      record(
        lp.pipeline,
        store.createTask(runId, lp.pipeline.name, taskRecipe(lp, target), report.startedAt),
        report,
      );
    const names = new Set(selected.map((p) => p.pipeline.name));
    const running = new Map<string, Promise<void>>();
    const task = (lp: LoadedPipeline): PipelineTask => ({
      projectDir: project.dir,
      paths,
      pipelines: known,
      pipeline: withEngine(
        retarget(lp.pipeline, target),
        engine ?? lp.pipeline.engine ?? project.project.defaults.engine,
      ),
      file: lp.file,
      defaultDatabase: join(project.dir, 'out', `${project.project.name}.sqlite`),
      connections,
      passwords,
      maxRejectRate: lp.pipeline.max_reject_rate ?? project.project.defaults.max_reject_rate,
      previous: previousNotes(store, project.dir, lp.pipeline.name),
      runId,
      ...(opts.profile && {
        profile: profilePath(opts.profile, lp.pipeline.name, selected.length > 1),
      }),
    });
    const start = (lp: LoadedPipeline): void => {
      const p = lp.pipeline;
      const taskId = store.createTask(
        runId,
        p.name,
        taskRecipe(lp, target),
        new Date().toISOString(),
      );
      const t = task(lp);
      const attempts = (): Promise<PipelineReport> => {
        opts.onPipelineStart?.(p.name);
        return runWithRetries(pool, t, policyOf(p, project.project.defaults), {
          log: (level, message) => store.log(runId, taskId, level, message),
          rejects: (rows) => store.addRejects(runId, taskId, p.name, rows),
          progress: opts.onProgress,
          signal,
        });
      };
      const done = inLane(laneOf(project.dir, t.pipeline), attempts, () =>
        store.log(
          runId,
          taskId,
          'info',
          `${p.name} waits for another run of it in this process to finish (same outputs)`,
        ),
      ).then((report) => {
        running.delete(p.name);
        record(p, taskId, report);
      });
      running.set(p.name, done);
    };
    const pending = [...selected];
    while (pending.length || running.size) {
      const round = decideRound(
        pending.map((lp) => lp.pipeline),
        {
          inRun: names,
          reuse,
          reports,
          running: running.size,
          workers: size,
          cancelled: signal.aborted,
        },
      );
      for (const { pipeline, decision } of round) {
        const at = pending.findIndex((lp) => lp.pipeline === pipeline);
        const [lp] = pending.splice(at, 1);
        if (decision.action === 'start') start(lp);
        else skip(lp, decision.report);
      }
      if (running.size) await Promise.race(running.values());
      else if (pending.length)
        throw new Error(
          `internal error: nothing can run of ${pending.map((p) => p.pipeline.name).join(', ')}`,
        );
    }
    const list = selected.map((lp) => reports.get(lp.pipeline.name)!);
    const failedAny = list.some((r) => !satisfied(r));
    const result: RunReport = {
      runId,
      project: project.project.name,
      status: signal.aborted ? 'cancelled' : failedAny ? 'failed' : 'succeeded',
      startedAt,
      finishedAt: new Date().toISOString(),
      recipeHash: hash,
      store: storePath,
      workers: size,
      runDate,
      trigger,
      ...(opts.resume ? { resumedFrom: opts.resume } : {}),
      pipelines: list,
    };
    store.finishRun(runId, result.status, result);
    const summaryPath = writeSummary(storePath, result);
    if (opts.notify !== false)
      for (const n of await notifyRun(project.project.notify, result, summaryPath, project.dir))
        store.log(runId, null, n.ok ? 'info' : 'warn', `notification by ${n.hook}: ${n.detail}`);
    store.log(
      runId,
      null,
      // A cancelled run is what the user asked for: info, like a success.
      result.status === 'failed' ? 'error' : 'info',
      `run ${result.status}`,
    );
    opts.onFinished?.(result);
    return result;
  } finally {
    clearInterval(beat);
    clearInterval(asking);
    await pool.close();
  }
}

/** The run folder beside the store: runs/<run id>/, holding the run's summary.json. */
export function runFolder(storePath: string, runId: string): string {
  return join(dirname(storePath), 'runs', runId);
}

function writeSummary(storePath: string, report: RunReport): string {
  const dir = runFolder(storePath, report.runId);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'summary.json');
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
  return path;
}
