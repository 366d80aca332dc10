/**
 * The contract of src-shared/api implemented once, for one open project. Transports (Electron
 * IPC, the local HTTP server) hand it validated parameters and carry back its results; events
 * (run progress, task and run states, log lines) go to subscribers.
 */
import type { PdfPrinter } from '../reports/pdf';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiEvent } from '../../src-shared/api/contract';
import { PathRefused, readablePath, type PathPolicy } from '../io/confine';
import { loadProject, projectSignature, projectTexts, type LoadedProject } from '../io/recipe-load';
import { pathPolicy } from '../orchestrator/path-policy';
import { ProfileFailed, WorkerPool } from '../orchestrator/worker-pool';
import { newRunId, runProject, type RunOptions } from '../orchestrator/run-project';
import { openRunStore, storePathFor } from '../store/open';
import type { LogRow, RunStore } from '../store/store';
import type {
  Handlers,
  ProjectContext,
  ProjectSwitch,
  RunContext,
  RunWithTasks,
  ServiceOptions,
  StoreContext,
  WorkContext,
} from './context';
import { ApiFailure, withRequestErrors } from './errors';
import { followLogs, type FollowOptions } from './follow-logs';
import { fileHandlers } from './handlers/files';
import { healthHandlers } from './handlers/health';
import { importHandlers } from './handlers/imports';
import { metadataHandlers } from './handlers/metadata';
import { metricsHandlers } from './handlers/metrics';
import { pipelineHandlers } from './handlers/pipelines';
import { stepProfileHandlers } from './handlers/step-profile';
import { FacetScans } from './facet-scans';
import { profileHandlers } from './handlers/profiles';
import { recipeCheckHandlers } from './handlers/recipe-check';
import { versionHandlers } from './handlers/versions';
import { projectHandlers } from './handlers/project';
import { projectsHandlers } from './handlers/projects';
import { runHandlers } from './handlers/runs';
import { connectionHandlers, keychainOf } from './handlers/connections';
import { PreviewCache } from './preview-cache';
import { OtherRuns } from './other-runs';
import { ProfileCache } from './profile';
import { runIn, storeHandlers } from './store-records';

/** The desktop app runs a built worker file instead of the sources. */
export { setWorkerScript } from '../orchestrator/worker-pool';

export class SluiceService
  implements StoreContext, ProjectContext, WorkContext, RunContext, ProjectSwitch
{
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  /** Runs whose events this service tells as they happen (started here, or its schedules'). */
  private readonly ours = new Set<string>();
  /** The project's runs started elsewhere (the CLI, another process), told while anyone listens. */
  private readonly others = new OtherRuns({
    store: () => this.store(),
    projectDir: () => this.project.dir,
    ours: (id) => this.ours.has(id),
    emit: (e) => this.emit(e),
  });
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
  /** Set by close(): no store is opened again and no run starts after it. */
  private closing = false;
  /** The recipes' files as they were when `project` was loaded (projectSignature). */
  private loadedSignature: string | null = null;
  /** The recipes' texts, read just before `project` was loaded (projectTexts). */
  private loadedTexts: string | null = null;
  /** @internal Computed previews, kept while the user scrolls them. */
  readonly previewCache = new PreviewCache();
  /** @internal */
  previewPool: WorkerPool | null = null;
  /** @internal Facet scans of the kept previews: filtered rows, step profiles, clusters. */
  readonly scans = new FacetScans(() => this.workers());
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
    // Every call the window makes reloads the recipes: skip the parsing when no file changed.
    const dir = this.project.dir;
    const sig = await projectSignature(dir);
    if (sig !== null && sig === this.loadedSignature) return this.project;
    // Saved in the last two seconds, or touched: the same texts are still the same project.
    const texts = await projectTexts(dir);
    if (texts !== null && texts === this.loadedTexts) {
      this.loadedSignature = sig;
      return this.project;
    }
    this.project = await loadProject(dir);
    this.loadedSignature = sig;
    this.loadedTexts = texts;
    return this.project;
  }

  /** Opens the project in `dir` (its sluice.yaml and pipelines). */
  static async open(dir: string, opts: ServiceOptions = {}): Promise<SluiceService> {
    // Read before the project: a file saved in between makes them differ, never the other way.
    const texts = await projectTexts(dir);
    const svc = new SluiceService(await loadProject(dir), opts);
    svc.loadedTexts = texts;
    return svc;
  }

  /**
   * @internal Switches to the project in `dir`: previews of the last one are dropped, and a
   * `--data` folder given for the first project no longer applies.
   */
  async openProject(dir: string): Promise<void> {
    const texts = await projectTexts(dir);
    const next = await loadProject(dir);
    await this.previewCache.close();
    this.project = next;
    this.loadedSignature = null;
    this.loadedTexts = texts;
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
    if (!this.closing) this.others.start();
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size) this.others.stop();
    };
  }

  /** @internal */
  emit(e: ApiEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** The project's run store file. */
  storePath(): string {
    return storePathFor(this.project, this.opts.storePath);
  }

  /** Runs of this project only. */
  get scope(): string {
    return this.project.dir;
  }

  get folders(): { data?: string; allow?: string[] } {
    return { data: this.opts.dataDir, allow: this.opts.allow };
  }

  /** The project's run store, opened when first needed and closed by close(). */
  store(): RunStore {
    if (this.closing) throw new ApiFailure('conflict', 'Sluice is shutting down');
    const path = this.storePath();
    let store = this.stores.get(path);
    if (!store) {
      store = openRunStore(this.project, this.opts.storePath);
      this.stores.set(path, store);
    }
    return store;
  }

  /**
   * Runs `f` with the project's run store, first marking interrupted the runs whose process
   * died since (as opening the store would), so every answer tells the truth.
   */
  async withStore<T>(f: (s: RunStore) => T | Promise<T>): Promise<T> {
    const store = this.store();
    store.recoverInterrupted();
    return await f(store);
  }

  /** The desktop app's PDF printer, when it gave one. */
  get printPdf(): PdfPrinter | undefined {
    return this.opts.printPdf;
  }

  /** A run of this project, or a not_found failure. */
  runOf(store: RunStore, runId: string): RunWithTasks {
    return runIn(store, runId, this.project.dir);
  }

  /** A connection's password from the keychain this service was given (the desktop app's). */
  password(connection: string): string | undefined {
    return (this.opts.password ?? keychainOf(this.opts).password)(connection);
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
    this.closing = true;
    this.others.stop();
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
    const seen = this.opts.observer;
    return {
      onStarted: (id, planned) => {
        runId = id;
        this.ours.add(id);
        this.emit({ type: 'run.state', run_id: id, status: 'running', planned });
      },
      onPipelineStart: (pipeline) =>
        this.emit({ type: 'task.state', run_id: runId, pipeline, status: 'running' }),
      onPipelineDone: (r) => {
        seen?.onPipelineDone?.(r);
        this.emit({ type: 'task.state', run_id: runId, pipeline: r.name, status: r.status });
      },
      onProgress: (g) => {
        seen?.onProgress?.(g);
        this.emit({
          type: 'run.progress',
          run_id: runId,
          pipeline: g.pipeline,
          rows: g.rows,
          rows_per_second: g.rowsPerSecond ?? null,
          stage: g.stage ?? null,
        });
      },
      onLog: (l) => this.emit({ type: 'log', run_id: runId, ...l }),
      onFinished: (r) => {
        seen?.onFinished?.(r);
        this.ours.delete(r.runId);
        this.emit({ type: 'run.state', run_id: r.runId, status: r.status });
      },
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
    tracked.catch((e: unknown) => this.opts.observer?.onError?.(e));
  }

  /** Starts a run in the background; resolves with its id once it is recorded. */
  async startRun(opts: RunOptions): Promise<{ run_id: string }> {
    if (this.closing) throw new ApiFailure('conflict', 'Sluice is shutting down');
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
      allow: this.opts.allow,
      workers: this.opts.workers,
      profile: this.opts.profile,
      password: (name) => this.password(name),
      signal: cancel.signal,
      onStarted: (id, planned) => {
        this.active.set(id, cancel);
        hooks.onStarted!(id, planned);
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
    ...healthHandlers(this),
    ...projectHandlers(this),
    ...projectsHandlers(this),
    ...pipelineHandlers(this),
    ...recipeCheckHandlers(this),
    ...versionHandlers(this),
    ...stepProfileHandlers(this),
    ...profileHandlers(this),
    ...storeHandlers(this),
    ...runHandlers(this),
    ...metadataHandlers(this),
    ...metricsHandlers(this),
    ...fileHandlers(this),
    ...importHandlers(this),
    ...connectionHandlers(this),
  });
}
