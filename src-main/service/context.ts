/**
 * What handlers may use of the service, in small pieces: each handler file asks for the pieces
 * it needs, so handlers depend on these interfaces and never on the service class.
 */
import type { FacetScans } from './facet-scans';
import type { z } from 'zod';
import type { ApiEvent, MethodName, Methods } from '../../src-shared/api/contract';
import type { PathPolicy } from '../io/confine';
import type { LoadedProject } from '../io/recipe-load';
import type { RunOptions } from '../orchestrator/run-project';
import type { WorkerPool } from '../orchestrator/worker-pool';
import type { CredentialStore } from '../store/credentials';
import type { PdfPrinter } from '../reports/pdf';
import type { RunStore } from '../store/store';
import type { PreviewCache } from './preview-cache';
import type { ProfileCache } from './profile';

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
  /** A connection's password from the desktop app's keychain (default: from `keychain`). */
  password?(connection: string): string | undefined;
  /**
   * Where saved connections' passwords are kept: the desktop app's CredentialStore over
   * safeStorage. Without one (the CLI, the HTTP server) no password can be saved, only forgotten.
   */
  keychain?: CredentialStore;
  /**
   * Which face of Sluice this service serves: the desktop app, the command line or `sluice
   * serve`. Messages say what to do there (where a password can be kept, for one).
   */
  face?: 'desktop' | 'cli' | 'server';
  /**
   * connections.save, remove and test are served (the desktop app and the CLI). `sluice serve`
   * turns them off unless --allow-connections: they make this computer connect where asked.
   */
  manageConnections?: boolean;
  /**
   * Files anywhere on this computer may be imported and profiled (the desktop app, whose user
   * picked them). Otherwise only files inside the project or its data folder.
   */
  localFiles?: boolean;
  /** Folders besides the project and its data that recipes may use (`--allow-path`). */
  allow?: string[];
  /** Prints a report's PDF: the desktop app's printToPDF (default: a Chromium on this computer). */
  printPdf?: PdfPrinter;
  /** Worker threads for runs (default: the project's `workers`, else the cores). */
  workers?: number;
  /** Runs write CPU profiles of their pipelines' workers here (`sluice run --profile`). */
  profile?: string;
  /**
   * Hears each run as the orchestrator reports it (the CLI's progress bar, and the full report
   * it prints), besides the API events.
   */
  observer?: Pick<RunOptions, 'onProgress' | 'onPipelineDone' | 'onFinished'> & {
    /** A run or backfill in the background failed instead of ending with a report. */
    onError?(e: unknown): void;
  };
}

export type RunWithTasks = NonNullable<ReturnType<RunStore['getRun']>>;

/** The run store's records: enough for the methods that read what runs recorded. */
export interface StoreContext {
  /** The project folder whose runs these are; null: every run in the store. */
  readonly scope: string | null;
  /** Where a retry of refused rows resolves sources (`--data`) and what else it may read. */
  readonly folders: { data?: string; allow?: string[] };
  /** Runs `f` with the run store open (a bare store is closed after; the service keeps its own). */
  withStore<T>(f: (s: RunStore) => T | Promise<T>): Promise<T>;
  /** A run in scope, or a not_found failure. */
  runOf(store: RunStore, runId: string): RunWithTasks;
  /** Prints a PDF of an HTML file (the desktop app's own; else a Chromium found on this computer). */
  readonly printPdf?: PdfPrinter;
  /** A connection's password from the keychain, for a retry's load (the desktop app's). */
  password?(connection: string): string | undefined;
}

/** The open project, its folders and the options it was opened with. */
export interface ProjectContext {
  /** The project as last loaded. */
  readonly project: LoadedProject;
  readonly opts: ServiceOptions;
  /** Reads the project's files again (they may have changed on disk). */
  reload(): Promise<LoadedProject>;
  /** The data folder sources are read from. */
  dataDir(): string;
  /** The project's run store file. */
  storePath(): string;
  /** Where the project's recipes may read and write (see io/confine). */
  paths(): PathPolicy;
  /** A file named by a request, checked to be one the caller may read (else a failure). */
  fileOf(path: string): string;
  /** A saved connection's password (the keychain's), for reading a PostgreSQL source's columns. */
  password(connection: string): string | undefined;
}

/** The workers and caches behind previews and profiles. */
export interface WorkContext {
  workers(): WorkerPool;
  readonly previewCache: PreviewCache;
  readonly profiles: ProfileCache;
  /** Facet scans of computed previews (filtered rows, step profiles, clusters). */
  readonly scans: FacetScans;
  emit(e: ApiEvent): void;
}

/** Runs started by this service. */
export interface RunContext {
  /** Runs in progress, by id, to cancel them. */
  readonly active: ReadonlyMap<string, AbortController>;
  /** The project's run store, held open by the service (its only writer in this process). */
  store(): RunStore;
  /** Starts a run in the background; resolves with its id once it is recorded. */
  startRun(opts: RunOptions): Promise<{ run_id: string }>;
  /** The hooks that turn a run's progress into API events. */
  runHooks(): Pick<
    RunOptions,
    'onStarted' | 'onPipelineStart' | 'onPipelineDone' | 'onProgress' | 'onLog' | 'onFinished'
  >;
  /** Keeps a background promise until it settles, so closing can cancel and wait for it. */
  track(done: Promise<unknown>, cancel: AbortController): void;
}

/** Switching the open project. */
export interface ProjectSwitch {
  openProject(dir: string): Promise<void>;
}
