/**
 * The contract of src-shared/api implemented once, for one open project. Transports (Electron
 * IPC, the local HTTP server) hand it validated parameters and carry back its results; events
 * (run progress, task and run states, log lines) go to subscribers.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiErrorCode, ApiEvent, MethodName, Methods } from '../../src-shared/api/contract';
import type { z } from 'zod';
import { ConfigError, loadProject, type LoadedProject } from '../io/recipe-load';
import { newRunId, runProject, storePathFor } from '../orchestrator/run-project';
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
}

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
    for (const c of this.active.values()) c.abort();
    await this.idle();
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
      const runId = newRunId();
      const cancel = new AbortController();
      let started!: () => void;
      const startedP = new Promise<void>((r) => (started = r));
      const done = runProject(this.project, {
        runId,
        storePath: this.opts.storePath,
        dataDir: this.opts.dataDir,
        pipelines: p.pipelines,
        downstream: !p.only,
        runDate: p.date,
        target: p.target,
        signal: cancel.signal,
        onStarted: () => {
          this.active.set(runId, cancel);
          this.emit({ type: 'run.state', run_id: runId, status: 'running' });
          started();
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
      }).then((report) => {
        this.emit({ type: 'run.state', run_id: runId, status: report.status });
        return report;
      });
      const tracked = done.finally(() => {
        this.active.delete(runId);
        this.finished.delete(tracked);
      });
      this.finished.add(tracked);
      tracked.catch(() => undefined);
      // Resolves once the run is recorded; a run that cannot start (a bad date, a recipe that
      // does not load) fails here, with its reason.
      await Promise.race([startedP, done.then(() => undefined)]).catch((e: unknown) => {
        throw new ApiFailure('bad_request', (e as Error).message);
      });
      return { run_id: runId };
    },

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
