/**
 * One pipeline run as a task: plain, cloneable data in (so it can cross to a worker thread),
 * events out. The main thread keeps the run store; the task only reports.
 */
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import type { PipelineReport } from '../../src-shared/recipe/result';
import type { LoadedPipeline } from '../io/recipe-load';
import type { LogLevel, RejectRow } from '../store/store';
import type { PathPolicy } from '../io/confine';
import { projectResources } from './resources';
import type { PreviewMeta, PreviewTask } from '../preview/step-preview';
import type { FileProfile } from '../io/profile-file';
import type { KeyCheckResult, KeyCheckTask } from '../io/key-check';
import type { ScanResult, ScanTask } from '../preview/side-scan';
import type { SourceSettings } from '../../src-shared/recipe/pipeline';
import { runPipeline, type Progress } from './run-pipeline';

export interface PipelineTask {
  projectDir: string;
  /** Where the recipe may read and write. */
  paths: PathPolicy;
  /** The project's pipelines, to find the outputs this one reads. */
  pipelines: LoadedPipeline[];
  /** The pipeline as it runs (outputs retargeted, say). */
  pipeline: Pipeline;
  file?: string;
  defaultDatabase: string;
  connections: Record<string, { url: string }>;
  passwords: Record<string, string>;
  maxRejectRate: number;
  previous: Record<string, Record<string, unknown>>;
  runId: string;
  /** Write a CPU profile of the task to this file (cpu-profile.ts; `sluice run --profile`). */
  profile?: string;
}

/** What a task reports while it runs; the last message is `done`. */
export type TaskEvent =
  | { type: 'progress'; progress: Progress }
  | { type: 'log'; level: LogLevel; message: string }
  | { type: 'rejects'; rows: RejectRow[] }
  | { type: 'done'; report: PipelineReport }
  | { type: 'preview'; result: PreviewMeta }
  | { type: 'profile'; result: FileProfile }
  | { type: 'keys'; result: KeyCheckResult }
  | { type: 'scan'; result: ScanResult }
  /** Rows of the source a preview has read so far. */
  | { type: 'preview.rows'; rows: number }
  | { type: 'failed'; message: string; cancelled: boolean };

/** Messages to a worker. */
export type WorkerCommand =
  | { type: 'run'; task: PipelineTask }
  | { type: 'preview'; task: PreviewTask }
  | { type: 'profile'; task: ProfileTask }
  | { type: 'keys'; task: KeyCheckTask }
  | { type: 'scan'; task: ScanTask }
  | { type: 'cancel' };

/** Profile a CSV file over all its rows (see io/profile-file). */
export interface ProfileTask {
  path: string;
  settings: Partial<SourceSettings>;
  sampleRows: number;
}

/** Runs a task here, in this thread, reporting through `emit`; resolves with the report. */
export async function runTask(
  task: PipelineTask,
  emit: (e: TaskEvent) => void,
  signal?: AbortSignal,
): Promise<PipelineReport> {
  const report = await runPipeline({
    projectDir: task.projectDir,
    resources: projectResources(task.paths, task.pipelines),
    defaultDatabase: task.defaultDatabase,
    connections: task.connections,
    passwords: task.passwords,
    pipeline: task.pipeline,
    file: task.file,
    maxRejectRate: task.maxRejectRate,
    previous: task.previous,
    runId: task.runId,
    recorder: {
      log: (level, message) => emit({ type: 'log', level, message }),
      addRejects: (rows) => emit({ type: 'rejects', rows }),
    },
    onProgress: (progress) => emit({ type: 'progress', progress }),
    signal,
  });
  emit({ type: 'done', report });
  return report;
}
