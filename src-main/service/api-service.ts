/**
 * The contract of src-shared/api implemented once, for one open project. Transports (Electron
 * IPC, the local HTTP server) hand it validated parameters and carry back its results; events
 * (run progress, task and run states, log lines) go to subscribers.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiErrorCode, ApiEvent, MethodName, Methods } from '../../src-shared/api/contract';
import type { z } from 'zod';
import { PathRefused, readablePath, type PathPolicy } from '../io/confine';
import { ConfigError, loadProject, type LoadedProject } from '../io/recipe-load';
import { pathPolicy } from '../orchestrator/path-policy';
import { RunRequestError } from '../orchestrator/run-date';
import { ProfileFailed, WorkerPool } from '../orchestrator/worker-pool';
import { newRunId, runProject, storePathFor, type RunOptions } from '../orchestrator/run-project';
import { openRunStore } from '../store/open';
import type { LogRow, RunRow, RunStore, TaskRow } from '../store/store';
import { followLogs, type FollowOptions } from './follow-logs';
import { importHandlers } from './handlers/imports';
import { pipelineHandlers } from './handlers/pipelines';
import { projectHandlers } from './handlers/projects';
import { recordHandlers } from './handlers/records';
import { runHandlers } from './handlers/runs';
import { PreviewCache } from './preview-cache';
import { ProfileCache } from './profile';

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

/** A request body streamed as bytes (a file upload over HTTP). */
export type RawBody = AsyncIterable<Uint8Array>;

export type Handlers = {
  [M in MethodName]: (
    params: z.infer<Methods[M]['params']>,
    body?: RawBody,
  ) => Promise<z.infer<Methods[M]['result']>>;
};

export interface ServiceOptions {
  storePath?: string;
  dataDir?: string;
  version?: string;
  /** A connection's password from the desktop app's keychain. */
  password?(connection: string): string | undefined;
  /**
   * Files anywhere on this computer may be imported and profiled (the desktop app, whose user
   * picked them). Otherwise only files inside the project or its data folder.
   */
  localFiles?: boolean;
  /** Folders besides the project and its data that recipes may use (`--allow-path`). */
  allow?: string[];
}

/** The desktop app runs a built worker file instead of the sources. */
export { setWorkerScript } from '../orchestrator/worker-pool';

export function runSummary(r: RunRow): z.infer<Methods['runs.get']['result']>['run'] {
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

/** A store page as an API page: page, page_size, total, has_next. */
export function apiPage<T, U>(
  p: { items: T[]; page: number; pageSize: number; total: number; hasNext: boolean },
  item: (x: T) => U,
) {
  return {
    items: p.items.map(item),
    page: p.page,
    page_size: p.pageSize,
    total: p.total,
    has_next: p.hasNext,
  };
}

export function taskSummary(t: TaskRow): z.infer<Methods['runs.get']['result']>['tasks'][number] {
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
  /** @internal Runs in progress, by id, to cancel them. */
  readonly active = new Map<string, AbortController>();
  private readonly finished = new Set<Promise<unknown>>();
  private readonly cancels = new Set<AbortController>();
  /** Log follows in progress, stopped by close() before the stores close. */
  private readonly follows = new Set<{ stop: AbortController; done: Promise<unknown> }>();
  /**
   * The run stores this service opened, by file: the project's, kept open while the service
   * is (it is their only writer in this process), and a former project's (its runs may go on).
   */
  private readonly stores = new Map<string, RunStore>();
  /** @internal Computed previews, kept while the user scrolls them. */
  readonly previewCache = new PreviewCache();
  /** @internal */
  previewPool: WorkerPool | null = null;
  /** @internal Profiles of the files last inspected or profiled, computed on a worker. */
  readonly profiles = new ProfileCache((path, settings, sampleRows) =>
    this.workers()
      .profile({ path, settings, sampleRows })
      .catch((e: unknown) => {
        throw e instanceof ProfileFailed ? new ApiFailure('bad_request', e.message) : e;
      }),
  );

  /**
   * @internal The workers for previews and profiles (two: a profile need not wait for a
   * preview), started when first needed.
   */
  workers(): WorkerPool {
    this.previewPool ??= new WorkerPool(2);
    return this.previewPool;
  }

  private constructor(
    /** @internal The project as last loaded. */
    public project: LoadedProject,
    /** @internal */
    public opts: ServiceOptions,
  ) {}

  /** @internal Reads the project's files again (they may have changed on disk). */
  async reload(): Promise<LoadedProject> {
    this.project = await loadProject(this.project.dir);
    return this.project;
  }

  /** Opens the project in `dir` (its sluice.yaml and pipelines). */
  static async open(dir: string, opts: ServiceOptions = {}): Promise<SluiceService> {
    return new SluiceService(await loadProject(dir), opts);
  }

  /**
   * @internal Switches to the project in `dir`: previews of the last one are dropped, and a
   * `--data` folder given for the first project no longer applies.
   */
  async openProject(dir: string): Promise<void> {
    const next = await loadProject(dir);
    await this.previewCache.close();
    this.project = next;
    this.opts = { ...this.opts, dataDir: undefined };
    this.emit({ type: 'project.opened', dir: next.dir, name: next.project.name });
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

  /** @internal */
  emit(e: ApiEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** @internal The project's run store, opened when first needed and closed by close(). */
  store(): RunStore {
    const path = storePathFor(this.project, this.opts.storePath);
    let store = this.stores.get(path);
    if (!store) {
      store = openRunStore(this.project, this.opts.storePath);
      this.stores.set(path, store);
    }
    return store;
  }

  /**
   * @internal Runs `f` with the project's run store, first marking interrupted the runs whose
   * process died since (as opening the store would), so every answer tells the truth.
   */
  async withStore<T>(f: (s: RunStore) => T | Promise<T>): Promise<T> {
    const store = this.store();
    store.recoverInterrupted();
    return await f(store);
  }

  /** @internal A run of this project, or a not_found failure. */
  runOf(store: RunStore, runId: string): NonNullable<ReturnType<RunStore['getRun']>> {
    const r = store.getRun(runId);
    if (!r || resolve(r.run.projectDir) !== this.project.dir)
      throw new ApiFailure('not_found', `there is no run ${runId} of this project`);
    return r;
  }

  /** @internal */
  dataDir(): string {
    return this.opts.dataDir
      ? resolve(this.opts.dataDir)
      : resolve(this.project.dir, this.project.project.data);
  }

  /** @internal Where this project's recipes may read and write (see io/confine). */
  paths(): PathPolicy {
    return pathPolicy(this.project, {
      dataDir: this.opts.dataDir,
      storePath: storePathFor(this.project, this.opts.storePath),
      allow: this.opts.allow,
    });
  }

  /**
   * @internal A file named by a request: relative to the data folder; refused outside the
   * project, its data folder and the allowed folders (links followed), unless the service
   * serves the desktop app (`localFiles`), whose user picked the file.
   */
  fileOf(path: string): string {
    const data = this.dataDir();
    let file = resolve(data, path);
    if (!this.opts.localFiles)
      try {
        file = readablePath(this.paths(), path);
      } catch (e) {
        if (e instanceof PathRefused) throw new ApiFailure('bad_request', e.message);
        throw e;
      }
    if (!existsSync(file) || !statSync(file).isFile())
      throw new ApiFailure('not_found', `there is no file ${path} in ${data}`);
    return file;
  }

  /**
   * Follows a run's log (lines so far, then new ones, until the run ends). Fails at once with
   * not_found for a run that is not this project's; `done` resolves with the run's status.
   */
  async followLogs(
    runId: string,
    o: FollowOptions,
    onLine: (l: LogRow) => void,
  ): Promise<{ done: Promise<string | null> }> {
    const store = await this.withStore((s) => (this.runOf(s, runId), s));
    const stop = new AbortController();
    if (o.signal?.aborted) stop.abort();
    else o.signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const done = followLogs(store, runId, onLine, { ...o, signal: stop.signal });
    const follow = { stop, done };
    this.follows.add(follow);
    void done.finally(() => this.follows.delete(follow)).catch(() => undefined);
    return { done };
  }

  /** Waits for every run this service started to finish (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.finished.size) await Promise.allSettled([...this.finished]);
  }

  /** Cancels every running run and waits for them; then closes the run stores. */
  async close(): Promise<void> {
    for (const c of this.cancels) c.abort();
    for (const f of this.follows) f.stop.abort();
    await this.previewCache.close();
    await this.idle();
    await Promise.allSettled([...this.follows].map((f) => f.done));
    await this.previewPool?.close();
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
  }

  /** The hooks that turn a run's progress into API events. */
  runHooks(): Pick<
    RunOptions,
    'onStarted' | 'onPipelineStart' | 'onPipelineDone' | 'onProgress' | 'onLog' | 'onFinished'
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
      onFinished: (r) => this.emit({ type: 'run.state', run_id: r.runId, status: r.status }),
    };
  }

  /** Keeps a background promise until it settles, so close() can cancel and wait for it. */
  track(done: Promise<unknown>, cancel: AbortController): void {
    this.cancels.add(cancel);
    const tracked = done.finally(() => {
      this.cancels.delete(cancel);
      this.finished.delete(tracked);
    });
    this.finished.add(tracked);
    tracked.catch(() => undefined);
  }

  /** Starts a run in the background; resolves with its id once it is recorded. */
  async startRun(opts: RunOptions): Promise<{ run_id: string }> {
    const runId = newRunId();
    const cancel = new AbortController();
    const hooks = this.runHooks();
    let started!: () => void;
    const startedP = new Promise<void>((r) => (started = r));
    const done = runProject(this.project, this.store(), {
      ...opts,
      ...hooks,
      runId,
      dataDir: this.opts.dataDir,
      password: this.opts.password,
      signal: cancel.signal,
      onStarted: (id) => {
        this.active.set(id, cancel);
        hooks.onStarted!(id);
        started();
      },
      onFinished: (r) => {
        this.active.delete(r.runId); // over before anyone hears it is
        hooks.onFinished!(r);
      },
    });
    this.track(
      done.finally(() => this.active.delete(runId)),
      cancel,
    );
    // A run that cannot start (a bad date, a recipe that does not load) fails here, with why.
    await Promise.race([startedP, done.then(() => undefined)]);
    return { run_id: runId };
  }

  /** The handlers, with recipe errors turned into bad_request failures that name the file. */
  readonly handlers: Handlers = withRequestErrors({
    ...pipelineHandlers(this),
    ...runHandlers(this),
    ...recordHandlers(this),
    ...importHandlers(this),
    ...projectHandlers(this),
  });
}

function withRequestErrors(raw: Handlers): Handlers {
  const out: Record<string, (p: never, body?: RawBody) => Promise<unknown>> = {};
  for (const [name, h] of Object.entries(raw))
    out[name] = async (p: never, body?: RawBody) => {
      try {
        return await (h as (p: never, body?: RawBody) => Promise<unknown>)(p, body);
      } catch (e) {
        if (e instanceof ConfigError)
          throw new ApiFailure('bad_request', `invalid configuration: ${e.message}`);
        if (e instanceof RunRequestError) throw new ApiFailure('bad_request', e.message);
        throw e;
      }
    };
  return out as Handlers;
}
