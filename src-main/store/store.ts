/** The run store's interface: what the rest of Sluice may ask of it. */
import type { PipelineReport, RunReport, StepReport } from '../../src-shared/recipe/result';
import type { LogLevel, RunStatus, TaskStatus } from '../../src-shared/vocabulary';

export type { LogLevel, RunStatus, TaskStatus } from '../../src-shared/vocabulary';

export interface RejectRow {
  kind: 'rejected' | 'removed';
  source: string;
  line: number;
  lineEnd: number;
  raw: string | null;
  step: string;
  rule: string;
  reason: string;
  record: Record<string, unknown> | null;
}

/** The rejected or removed rows of one pipeline, step, rule and reason: how many, and the first. */
export interface RejectGroup {
  pipeline: string;
  kind: 'rejected' | 'removed';
  step: string;
  rule: string;
  reason: string;
  count: number;
  /** The first rows of the group by source line: where they were and their text as read. */
  examples: {
    source: string;
    line: number;
    raw: string | null;
    /** The row as the step saw it, when the store kept it. */
    record: Record<string, unknown> | null;
  }[];
}

/** A reject as the store keeps it. */
export interface StoredReject extends RejectRow {
  id: number;
  pipeline: string;
  recordHash: string;
  status: 'open' | 'retried';
}

export interface RunRow {
  id: string;
  project: string;
  projectDir: string;
  status: RunStatus;
  recipeHash: string;
  startedAt: string;
  finishedAt: string | null;
  pipelines: string[];
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  /** The run's logical date (YYYY-MM-DD), null for runs recorded before there were any. */
  runDate: string | null;
  trigger: string;
  resumedFrom: string | null;
  /** Where its database loads went when the run chose (see NewRun.target); null: the recipes'. */
  target: string | null;
  /** Where every pipeline's steps ran when the run chose (see NewRun.engine); null: the recipes'. */
  engine: string | null;
  /**
   * The pipelines the run was to run, in order, as planned when it started; for runs recorded
   * before plans were kept, the ones it has tasks for.
   */
  planned: string[];
}

export interface RunTotals {
  runs: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  interrupted: number;
  /** Mean wall time of finished runs, ms; null when none finished. */
  meanDurationMs: number | null;
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
}

export interface NewRun {
  id: string;
  project: string;
  projectDir: string;
  recipeHash: string;
  startedAt: string;
  runDate?: string;
  /** manual, schedule, backfill, watch or resume */
  trigger?: string;
  resumedFrom?: string;
  /** postgres, postgres:<connection> or sqlite: where the run sent its database loads. */
  target?: string;
  /** local or postgres: where the run ran every pipeline's steps, when it chose (--engine). */
  engine?: string;
  /** The pipelines it will run, in order (each gets a task as it begins). */
  plan?: string[];
}

export interface TaskRow {
  id: number;
  runId: string;
  pipeline: string;
  status: TaskStatus;
  recipeHash: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  report: PipelineReport | null;
}

export interface LogRow {
  ts: string;
  level: LogLevel;
  pipeline: string | null;
  message: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  hasNext: boolean;
}

export interface RunFilter {
  status?: RunStatus;
  pipeline?: string;
  /** Only runs of the project in this folder. */
  projectDir?: string;
  /** Run dates (the logical date, else the day it started) from and to, both included. */
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

/** A recipe as a task ran it: its digest, the text as written, and the spec the digest is of. */
export interface TaskRecipe {
  /** sha256 of `spec`. */
  hash: string;
  /** The pipeline's YAML file as it was read (placeholders unfilled). */
  text: string;
  /** The parsed pipeline as it ran (placeholders filled, outputs retargeted), as JSON. */
  spec: string;
}

/** A recipe the store keeps, once per hash, with the name of its pipeline and when first seen. */
export interface StoredRecipe extends TaskRecipe {
  pipeline: string;
  firstSeen: string;
}

/** What every part of the store tells: the file it lives in (for messages and the run folder). */
export interface StoreFile {
  readonly path: string;
}

/** Runs and their tasks, and the recipes the tasks ran. */
export interface RunsStore extends StoreFile {
  /** Records a new run, owned by this process (its id and host), with a first heartbeat. */
  createRun(run: NewRun): void;
  /** Tells that the run's process is still alive (a running run beats every few seconds). */
  heartbeat(runId: string): void;
  /**
   * Asks the process that owns a running run to cancel it (it looks every second); false when
   * the run is not running.
   */
  requestCancel(runId: string): boolean;
  /** Whether someone asked to cancel the run (see requestCancel). */
  cancelRequested(runId: string): boolean;
  /**
   * Marks interrupted each running run whose process is gone (and its running tasks); returns
   * their ids. Opening the store does it, so every command and the server see the truth.
   */
  recoverInterrupted(): string[];
  /**
   * Records by hand that a run's pipeline succeeded or is skipped: a resume then passes it by
   * (one marked succeeded runs again all the same if something upstream of it does).
   */
  markTask(runId: string, pipeline: string, status: 'succeeded' | 'skipped', note: string): void;
  /** The latest logical date of a recorded run of a pipeline of the project in `projectDir`. */
  lastRunDate(projectDir: string, pipeline: string): string | null;
  finishRun(id: string, status: RunStatus, report: RunReport): void;
  /** Records a task that starts now, and its recipe (kept once per hash). */
  createTask(runId: string, pipeline: string, recipe: TaskRecipe, startedAt: string): number;
  finishTask(taskId: number, status: TaskStatus, report: PipelineReport, steps: StepReport[]): void;
  listRuns(filter: RunFilter): Page<RunRow>;
  getRun(id: string): { run: RunRow; tasks: TaskRow[]; report: RunReport | null } | null;
  /** The report of the last successful run of a pipeline of the project in `projectDir`. */
  lastSucceeded(projectDir: string, pipeline: string): PipelineReport | null;
  /** Totals over the finished runs of the project in `projectDir`. */
  runTotals(projectDir: string): RunTotals;
  /**
   * The latest task (with `status`, if given; with none of the statuses in `skip`) of each
   * pipeline of the project in `projectDir`.
   */
  lastTasks(
    projectDir: string,
    status?: TaskStatus,
    skip?: readonly TaskStatus[],
  ): Map<string, TaskRow>;
  /** The recipe with this hash, as a task ran it; null if no task recorded it (or before v5). */
  recipe(hash: string): StoredRecipe | null;
}

/** What runs leave behind besides their states: log lines, rejected rows, metrics. */
export interface RecordsStore extends StoreFile {
  log(runId: string, taskId: number | null, level: LogLevel, message: string): void;
  /** The last `tail` lines of a run's log (all without it), oldest first. */
  logs(runId: string, tail?: number): LogRow[];
  /** The lines of a run written after the line numbered `afterId` (0: all), with their numbers. */
  logsAfter(runId: string, afterId: number): (LogRow & { id: number })[];
  addRejects(runId: string, taskId: number, pipeline: string, rows: RejectRow[]): void;
  rejects(runId: string, opts?: { page?: number; pageSize?: number }): Page<StoredReject>;
  setRejectStatus(ids: number[], status: StoredReject['status']): void;
  /** A run's rejects grouped by pipeline, kind, step, rule and reason, largest groups first. */
  rejectGroups(runId: string, examples?: number): RejectGroup[];
  addMetric(runId: string, taskId: number | null, name: string, value: number): void;
}

/**
 * The whole store, as its opener holds it: only the one who opened it closes it (the CLI
 * command, the service, the app); what it is handed to asks for the part it uses.
 */
/** A recipe as it was saved: the text, its sha256 and when. */
export interface RecipeVersion {
  hash: string;
  text: string;
  savedAt: string;
}

/** The saved versions of each project's recipes. */
export interface VersionsStore extends StoreFile {
  /** Keeps a save of `pipeline`; one the same as the latest version is not kept twice. */
  addVersion(projectDir: string, pipeline: string, text: string, savedAt: string): RecipeVersion;
  /** The versions of a pipeline, newest first. */
  versions(projectDir: string, pipeline: string): RecipeVersion[];
}

export interface RunStore extends RunsStore, RecordsStore, VersionsStore {
  close(): void;
}
