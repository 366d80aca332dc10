/**
 * The contract of src-shared/api implemented once, for one open project. Transports (Electron
 * IPC, the local HTTP server) hand it validated parameters and carry back its results; events
 * (run progress, task and run states, log lines) go to subscribers.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { Pipeline } from '../../src-shared/recipe/pipeline';
import type { ApiErrorCode, ApiEvent, MethodName, Methods } from '../../src-shared/api/contract';
import type { z } from 'zod';
import {
  ConfigError,
  formatIssue,
  loadProject,
  parseYaml,
  type LoadedProject,
} from '../io/recipe-load';
import { backfill } from '../orchestrator/backfill';
import { orderPipelines } from '../orchestrator/graph';
import { daysBetween, renderPipeline, RunRequestError, today } from '../orchestrator/run-date';
import { PreviewFailed, WorkerPool, WorkerTerminated } from '../orchestrator/worker-pool';
import { newRunId, runProject, storePathFor, type RunOptions } from '../orchestrator/run-project';
import { profileFile } from './profile';
import { exportRejects } from './rejects-export';
import { retryRejects, RetryError } from './retry';
import { openStore } from '../store/sqlite-store';
import type { RunRow, RunStore, TaskRow } from '../store/store';
import { validateProject } from './validate';

/** A failure with an API error code: the dispatcher turns it into an error value. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type Handlers = {
  [M in MethodName]: (
    params: z.infer<Methods[M]['params']>,
  ) => Promise<z.infer<Methods[M]['result']>>;
};

export interface ServiceOptions {
  storePath?: string;
  dataDir?: string;
  version?: string;
  /** A connection's password from the desktop app's keychain. */
  password?(connection: string): string | undefined;
}

/** The desktop app runs a built worker file instead of the sources. */
export { setWorkerScript } from '../orchestrator/worker-pool';

function runSummary(r: RunRow): z.infer<Methods['runs.get']['result']>['run'] {
  return {
    id: r.id,
    project: r.project,
    status: r.status,
    run_date: r.runDate,
    trigger: r.trigger,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    pipelines: r.pipelines,
    rows_in: r.rowsIn,
    rows_out: r.rowsOut,
    rows_rejected: r.rowsRejected,
  };
}

function taskSummary(t: TaskRow): z.infer<Methods['runs.get']['result']>['tasks'][number] {
  return {
    pipeline: t.pipeline,
    status: t.status,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
    error: t.error,
    rows_in: t.report?.rowsIn ?? 0,
    rows_out: t.report?.rowsOut ?? 0,
    rows_rejected: t.report?.rowsRejected ?? 0,
    worker: t.report?.worker ?? null,
    attempts: t.report?.attempts ?? null,
  };
}

export class SluiceService {
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private readonly active = new Map<string, AbortController>();
  private readonly finished = new Set<Promise<unknown>>();
  private readonly cancels = new Set<AbortController>();
  private readonly previews = new Map<string, AbortController>();
  private previewPool: WorkerPool | null = null;

  private constructor(
    private project: LoadedProject,
    private readonly opts: ServiceOptions,
  ) {}

  /** Opens the project in `dir` (its sluice.yaml and pipelines). */
  static async open(dir: string, opts: ServiceOptions = {}): Promise<SluiceService> {
    return new SluiceService(await loadProject(dir), opts);
  }

  get projectDir(): string {
    return this.project.dir;
  }

  get projectName(): string {
    return this.project.project.name;
  }

  /** The project as loaded (for the desktop app's scheduler). */
  get loadedProject(): LoadedProject {
    return this.project;
  }

  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: ApiEvent): void {
    for (const l of this.listeners) l(e);
  }

  private withStore<T>(f: (s: RunStore) => T): T {
    const store = openStore(storePathFor(this.project, this.opts.storePath));
    try {
      return f(store);
    } finally {
      store.close();
    }
  }

  private dataDir(): string {
    return this.opts.dataDir
      ? resolve(this.opts.dataDir)
      : resolve(this.project.dir, this.project.project.data);
  }

  /** Waits for every run this service started to finish (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.finished.size) await Promise.allSettled([...this.finished]);
  }

  /** Cancels every running run and waits for them. */
  async close(): Promise<void> {
    for (const c of this.cancels) c.abort();
    for (const c of this.previews.values()) c.abort();
    await this.idle();
    await this.previewPool?.close();
  }

  /** The hooks that turn a run's progress into API events. */
  private runHooks(): Pick<
    RunOptions,
    'onStarted' | 'onPipelineStart' | 'onPipelineDone' | 'onProgress' | 'onLog'
  > {
    // Each run gets its own id through onStarted; events carry it.
    let runId = '';
    return {
      onStarted: (id) => {
        runId = id;
        this.emit({ type: 'run.state', run_id: id, status: 'running' });
      },
      onPipelineStart: (pipeline) =>
        this.emit({ type: 'task.state', run_id: runId, pipeline, status: 'running' }),
      onPipelineDone: (r) =>
        this.emit({ type: 'task.state', run_id: runId, pipeline: r.name, status: r.status }),
      onProgress: (g) =>
        this.emit({
          type: 'run.progress',
          run_id: runId,
          pipeline: g.pipeline,
          rows: g.rows,
          rows_per_second: g.rowsPerSecond ?? null,
          stage: g.stage ?? null,
        }),
      onLog: (l) => this.emit({ type: 'log', run_id: runId, ...l }),
    };
  }

  /** Keeps a background promise until it settles, so close() can cancel and wait for it. */
  private track(done: Promise<unknown>, cancel: AbortController): void {
    this.cancels.add(cancel);
    const tracked = done.finally(() => {
      this.cancels.delete(cancel);
      this.finished.delete(tracked);
    });
    this.finished.add(tracked);
    tracked.catch(() => undefined);
  }

  /** Starts a run in the background; resolves with its id once it is recorded. */
  private async startRun(opts: RunOptions): Promise<{ run_id: string }> {
    const runId = newRunId();
    const cancel = new AbortController();
    const hooks = this.runHooks();
    let started!: () => void;
    const startedP = new Promise<void>((r) => (started = r));
    const done = runProject(this.project, {
      ...opts,
      ...hooks,
      runId,
      storePath: this.opts.storePath,
      dataDir: this.opts.dataDir,
      password: this.opts.password,
      signal: cancel.signal,
      onStarted: (id) => {
        this.active.set(id, cancel);
        hooks.onStarted!(id);
        started();
      },
    }).then((report) => {
      this.emit({ type: 'run.state', run_id: runId, status: report.status });
      return report;
    });
    this.track(
      done.finally(() => this.active.delete(runId)),
      cancel,
    );
    // A run that cannot start (a bad date, a recipe that does not load) fails here, with why.
    await Promise.race([startedP, done.then(() => undefined)]).catch((e: unknown) => {
      if (e instanceof ConfigError || e instanceof RunRequestError)
        throw new ApiFailure('bad_request', e.message);
      throw e;
    });
    return { run_id: runId };
  }

  /** The handlers, with recipe errors turned into bad_request failures that name the file. */
  get handlers(): Handlers {
    const out: Record<string, (p: never) => Promise<unknown>> = {};
    for (const [name, h] of Object.entries(this.raw))
      out[name] = async (p: never) => {
        try {
          return await (h as (p: never) => Promise<unknown>)(p);
        } catch (e) {
          if (e instanceof ConfigError)
            throw new ApiFailure('bad_request', `invalid configuration: ${e.message}`);
          if (e instanceof RunRequestError) throw new ApiFailure('bad_request', e.message);
          throw e;
        }
      };
    return out as Handlers;
  }

  private readonly raw: Handlers = {
    health: async () => ({
      status: 'ok' as const,
      version: this.opts.version ?? '0.1.0',
      project: this.project.project.name,
    }),

    'project.get': async () => {
      this.project = await loadProject(this.project.dir);
      const last = this.withStore((s) => s.lastTasks(this.project.dir));
      return {
        name: this.project.project.name,
        dir: this.project.dir,
        data_dir: this.dataDir(),
        pipelines: this.project.pipelines.map(({ pipeline: p, file }) => {
          const t = last.get(p.name);
          return {
            name: p.name,
            description: p.description ?? null,
            file,
            depends_on: p.depends_on,
            source: p.source.path ?? `pipeline ${p.source.pipeline}`,
            outputs: p.outputs.map((o) => ({
              kind: o.kind,
              target: o.kind === 'csv' ? o.path : o.table,
            })),
            last_run: t
              ? {
                  run_id: t.runId,
                  status: t.status,
                  rows_out: t.report?.rowsOut ?? 0,
                  finished_at: t.finishedAt,
                }
              : null,
          };
        }),
      };
    },

    'pipelines.get': async ({ name }) => {
      const lp = this.project.pipelines.find((p) => p.pipeline.name === name);
      if (!lp) throw new ApiFailure('not_found', `the project has no pipeline named "${name}"`);
      return {
        name,
        file: lp.file,
        yaml: readFileSync(resolve(this.project.dir, lp.file), 'utf8'),
        recipe: lp.pipeline,
      };
    },

    'pipelines.validate': async () => {
      this.project = await loadProject(this.project.dir);
      const v = await validateProject(this.project, this.opts.dataDir);
      return { ok: v.problems.length === 0, problems: v.problems, not_checked: v.notChecked };
    },

    'runs.start': async (p) => {
      this.project = await loadProject(this.project.dir);
      return this.startRun({
        pipelines: p.pipelines,
        downstream: !p.only,
        runDate: p.date,
        target: p.target,
      });
    },

    'runs.resume': async ({ run_id }) => {
      this.project = await loadProject(this.project.dir);
      return this.startRun({ resume: run_id });
    },

    'runs.backfill': async (p) => {
      this.project = await loadProject(this.project.dir);
      const days = daysBetween(p.from, p.to);
      if (days.length > 366)
        throw new ApiFailure('bad_request', `${days.length} days: backfill a year at most at once`);
      orderPipelines(this.project.pipelines, p.pipelines); // names every unknown pipeline now
      const cancel = new AbortController();
      const done = backfill(this.project, {
        pipelines: p.pipelines,
        from: p.from,
        to: p.to,
        parallel: p.parallel,
        downstream: !p.only,
        storePath: this.opts.storePath,
        dataDir: this.opts.dataDir,
        password: this.opts.password,
        signal: cancel.signal,
        hooksPerRun: () => this.runHooks(),
      });
      this.track(done, cancel);
      return { days };
    },

    'rejects.export': async ({ run_id }) =>
      this.withStore((s) => {
        if (!s.getRun(run_id)) throw new ApiFailure('not_found', `there is no run ${run_id}`);
        const dir = mkdtempSync(join(tmpdir(), 'sluice-export-'));
        try {
          const path = join(dir, 'rejects.csv');
          const rows = exportRejects(s, run_id, path);
          return { rows, csv: readFileSync(path, 'utf8') };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),

    'rejects.retry': async ({ run_id }) => {
      const store = openStore(storePathFor(this.project, this.opts.storePath));
      try {
        if (!store.getRun(run_id)) throw new ApiFailure('not_found', `there is no run ${run_id}`);
        const results = await retryRejects(store, run_id, { data: this.opts.dataDir }).catch(
          (e: unknown) => {
            if (e instanceof RetryError) throw new ApiFailure('conflict', e.message);
            throw e;
          },
        );
        return {
          results: results.map((r) => ({
            pipeline: r.pipeline,
            step: r.step,
            retried: r.retried,
            loaded: r.loaded,
            still_refused: r.stillRefused,
          })),
        };
      } finally {
        store.close();
      }
    },

    'pipelines.save': async ({ name, yaml }) => {
      const existing = this.project.pipelines.find((p) => p.pipeline.name === name);
      const file = existing?.file ?? join(this.project.dir, 'pipelines', `${name}.yaml`);
      const parsed = parseYaml(file, yaml, Pipeline);
      if (!parsed.ok)
        throw new ApiFailure(
          'bad_request',
          `the recipe has errors: ${parsed.issues.map(formatIssue).join('; ')}`,
          {
            issues: parsed.issues,
          },
        );
      if (parsed.value.name !== name)
        throw new ApiFailure(
          'bad_request',
          `the recipe is named "${parsed.value.name}", not "${name}"`,
        );
      const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, yaml);
      renameSync(tmp, file);
      try {
        this.project = await loadProject(this.project.dir);
        orderPipelines(this.project.pipelines);
      } catch (e) {
        // The project as a whole does not load with it (a cycle, say): put the old file back.
        if (before === null) rmSync(file, { force: true });
        else writeFileSync(file, before);
        this.project = await loadProject(this.project.dir);
        throw e;
      }
      return { name, file };
    },

    'pipelines.preview': async ({ name, step, offset, limit, yaml }) => {
      this.project = await loadProject(this.project.dir);
      const lp = this.project.pipelines.find((p) => p.pipeline.name === name);
      if (!lp && yaml === undefined)
        throw new ApiFailure('not_found', `the project has no pipeline named "${name}"`);
      let pipeline = lp?.pipeline;
      if (yaml !== undefined) {
        const parsed = parseYaml(lp?.file ?? `pipelines/${name}.yaml`, yaml, Pipeline);
        if (!parsed.ok)
          throw new ApiFailure(
            'bad_request',
            `the recipe has errors: ${parsed.issues.map(formatIssue).join('; ')}`,
            {
              issues: parsed.issues,
            },
          );
        pipeline = parsed.value;
      }
      const rendered = renderPipeline(
        { file: lp?.file ?? '', text: '', pipeline: pipeline! },
        today(),
      ).pipeline;
      if (step > rendered.steps.length)
        throw new ApiFailure(
          'bad_request',
          `pipeline ${name} has ${rendered.steps.length} steps; there is no step ${step}`,
        );
      // A newer preview of the same pipeline (the next edit) cancels this one.
      this.previews.get(name)?.abort();
      const cancel = new AbortController();
      this.previews.set(name, cancel);
      this.previewPool ??= new WorkerPool(1);
      try {
        const r = await this.previewPool.preview(
          {
            projectDir: this.project.dir,
            dataDir: this.dataDir(),
            pipelines: this.project.pipelines.map((x) => ({ ...x, text: '' })),
            pipeline: rendered,
            step: step - 1,
            offset,
            limit,
          },
          cancel.signal,
        );
        return { ...r, counts: r.counts as unknown as Record<string, unknown> | null };
      } catch (e) {
        if (e instanceof WorkerTerminated || cancel.signal.aborted)
          throw new ApiFailure('conflict', 'a newer preview of this pipeline replaced this one');
        if (e instanceof PreviewFailed) throw new ApiFailure('bad_request', e.message);
        throw e;
      } finally {
        if (this.previews.get(name) === cancel) this.previews.delete(name);
      }
    },

    'profiles.get': async ({ path }) => {
      const data = this.dataDir();
      const file = resolve(data, path);
      const inside = (root: string): boolean => file === root || file.startsWith(root + sep);
      if (!inside(data) && !inside(this.project.dir))
        throw new ApiFailure('bad_request', `${path} is outside the project and its data folder`);
      if (!existsSync(file) || !statSync(file).isFile())
        throw new ApiFailure('not_found', `there is no file ${path} in ${data}`);
      const p = await profileFile(file);
      const { rows, suggestedKey, columns, source, rejects } = p;
      return {
        rows,
        suggested_key: suggestedKey,
        source: source as unknown as Record<string, unknown>,
        columns: columns as unknown as Record<string, unknown>[],
        rejected_lines: rejects.length,
      };
    },

    'metadata.outputs': async () =>
      this.withStore((s) => {
        const items = [];
        for (const [pipeline, t] of s.lastTasks(this.project.dir, 'succeeded'))
          for (const o of t.report?.outputs ?? [])
            items.push({
              pipeline,
              kind: o.kind,
              target: o.path,
              table: o.table ?? null,
              rows: o.rows,
              run_id: t.runId,
              finished_at: t.finishedAt,
            });
        return { items };
      }),

    'runs.cancel': async ({ run_id }) => {
      const c = this.active.get(run_id);
      if (c) {
        c.abort();
        return { cancelled: true };
      }
      if (!this.withStore((s) => s.getRun(run_id)))
        throw new ApiFailure('not_found', `there is no run ${run_id}`);
      return { cancelled: false };
    },

    'runs.list': async (p) =>
      this.withStore((s) => {
        const page = s.listRuns({
          status: p.status,
          pipeline: p.pipeline,
          from: p.from,
          to: p.to,
          projectDir: this.project.dir,
          page: p.page,
          pageSize: p.page_size,
        });
        return {
          items: page.items.map(runSummary),
          page: page.page,
          page_size: page.pageSize,
          total: page.total,
          has_next: page.hasNext,
        };
      }),

    'runs.get': async ({ run_id }) =>
      this.withStore((s) => {
        const r = s.getRun(run_id);
        if (!r || resolve(r.run.projectDir) !== this.project.dir)
          throw new ApiFailure('not_found', `there is no run ${run_id} of this project`);
        return { run: runSummary(r.run), tasks: r.tasks.map(taskSummary) };
      }),

    'logs.get': async ({ run_id, pipeline, tail }) =>
      this.withStore((s) => {
        if (!s.getRun(run_id)) throw new ApiFailure('not_found', `there is no run ${run_id}`);
        let lines = s.logs(run_id);
        if (pipeline) lines = lines.filter((l) => l.pipeline === pipeline);
        if (tail) lines = lines.slice(-tail);
        return { items: lines };
      }),

    'rejects.list': async ({ run_id, page, page_size }) =>
      this.withStore((s) => {
        if (!s.getRun(run_id)) throw new ApiFailure('not_found', `there is no run ${run_id}`);
        const r = s.rejects(run_id, { page, pageSize: page_size });
        return {
          items: r.items.map((x) => ({
            id: x.id,
            pipeline: x.pipeline,
            kind: x.kind,
            source: x.source,
            line: x.line,
            raw: x.raw,
            step: x.step,
            rule: x.rule,
            reason: x.reason,
            record: x.record,
            status: x.status,
          })),
          page: r.page,
          page_size: r.pageSize,
          total: r.total,
          has_next: r.hasNext,
        };
      }),

    'metrics.summary': async () =>
      this.withStore((s) => {
        const t = s.runTotals(this.project.dir);
        const ended = t.succeeded + t.failed + t.cancelled;
        return {
          runs: t.runs,
          succeeded: t.succeeded,
          failed: t.failed,
          cancelled: t.cancelled,
          success_rate: ended ? t.succeeded / ended : null,
          mean_duration_ms: t.meanDurationMs,
          rows_in: t.rowsIn,
          rows_out: t.rowsOut,
          rows_rejected: t.rowsRejected,
        };
      }),
  };
}
