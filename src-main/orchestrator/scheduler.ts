/**
 * The headless scheduler behind `sluice schedule` (and the desktop app while it is open):
 * pipelines with a cron `schedule:` run at their times in their time zone, after first catching
 * up on the intervals missed since their last recorded run; pipelines with a `watch:` folder
 * run once for each new or changed CSV there that has finished being written. Every run is a
 * normal project run of that pipeline and everything downstream of it (its success triggers
 * them), recorded with its trigger.
 */
import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { Cron } from 'croner';
import type { Pipeline, Schedule } from '../../src-shared/recipe/pipeline';
import type { RunReport } from '../../src-shared/recipe/result';
import { PathRefused, readablePath } from '../io/confine';
import { ConfigError, type LoadedProject } from '../io/recipe-load';
import { pathPolicy } from './path-policy';
import type { RecordsStore, RunsStore } from '../store/store';
import { today } from './run-date';
import { runProject, type RunOptions } from './run-project';

/** Most intervals one catch-up queues for a pipeline (a fast cron after a long pause). */
const MAX_CATCHUP = 1000;

/**
 * The logical dates of a schedule's occurrences up to `now` on days after `after` (the last
 * recorded run's date), or from the schedule's start_date when nothing ran yet.
 */
export function missedDates(spec: Schedule, after: string | null, now: Date): string[] {
  const start = after ?? (spec.start_date ? previousDay(spec.start_date) : null);
  if (start === null) return [];
  const cron = new Cron(spec.cron, { timezone: spec.timezone, paused: true });
  const dates: string[] = [];
  // From a day before the start, so an occurrence early on the next day is not missed.
  let t = cron.nextRun(new Date(Date.parse(start) - 86_400_000));
  while (t && t <= now && dates.length < MAX_CATCHUP) {
    const d = today(spec.timezone, t);
    if (d > start && dates[dates.length - 1] !== d) dates.push(d);
    t = cron.nextRun(t);
  }
  return dates;
}

function previousDay(d: string): string {
  return new Date(Date.parse(d) - 86_400_000).toISOString().slice(0, 10);
}

/** A glob of file names (* and ?) as a test. */
function nameMatcher(pattern: string): (name: string) => boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    'i',
  );
  return (name) => re.test(name);
}

interface Job {
  trigger: 'schedule' | 'watch';
  runDate: string;
  file?: string;
}

export interface SchedulerOptions extends Pick<
  RunOptions,
  'dataDir' | 'workers' | 'password' | 'allow'
> {
  now?: () => Date;
  /** A run finished. */
  onRun?(r: RunReport, job: Job & { pipeline: string }): void;
  /** A note for the person watching (what is scheduled, what was seen). */
  onNote?(message: string): void;
  /** Hooks for each run (the service's, which tell its plan, progress and end as events). */
  hooksPerRun?(): Partial<RunOptions>;
}

export class Scheduler {
  private readonly queues = new Map<string, Job[]>();
  private readonly active = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly crons: Cron[] = [];
  private readonly watchers: FSWatcher[] = [];
  private readonly cancel = new AbortController();
  private stopped = false;

  /** Runs are recorded in `store`, which the caller opened and closes once stop() is done. */
  constructor(
    private readonly project: LoadedProject,
    private readonly store: RunsStore & RecordsStore,
    private readonly opts: SchedulerOptions = {},
  ) {
    for (const lp of project.pipelines)
      if (lp.pipeline.watch && !lp.pipeline.source.path)
        throw new ConfigError([
          {
            file: lp.file,
            line: 1,
            column: 1,
            path: ['watch'],
            message: 'a watched folder needs a pipeline whose source is a file (source.path)',
          },
        ]);
  }

  private get scheduled(): Pipeline[] {
    return this.project.pipelines.map((lp) => lp.pipeline).filter((p) => p.schedule);
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  /** Queues the intervals each scheduled pipeline missed since its last recorded run. */
  queueMissed(): number {
    let queued = 0;
    for (const p of this.scheduled) {
      if (!p.schedule!.catchup) continue;
      const last = this.store.lastRunDate(this.project.dir, p.name);
      const missed = missedDates(p.schedule!, last, this.now());
      if (missed.length)
        this.opts.onNote?.(
          `${p.name}: catching up ${missed.length} missed interval${missed.length > 1 ? 's' : ''} (${missed[0]}${missed.length > 1 ? ` to ${missed[missed.length - 1]}` : ''}) since ${last ?? `start_date ${p.schedule!.start_date}`}`,
        );
      for (const d of missed) this.enqueue(p.name, { trigger: 'schedule', runDate: d });
      queued += missed.length;
    }
    return queued;
  }

  /** Starts the cron timers and folder watchers; runs go on until stop(). */
  async start(): Promise<void> {
    for (const p of this.scheduled) {
      const spec = p.schedule!;
      const cron = new Cron(spec.cron, { timezone: spec.timezone }, () => {
        this.enqueue(p.name, { trigger: 'schedule', runDate: today(spec.timezone, this.now()) });
      });
      this.crons.push(cron);
      this.opts.onNote?.(
        `${p.name}: scheduled "${spec.cron}"${spec.timezone ? ` (${spec.timezone})` : ''}, next at ${cron.nextRun()?.toISOString() ?? 'never'}`,
      );
    }
    const paths = pathPolicy(this.project, {
      dataDir: this.opts.dataDir,
      storePath: this.store.path,
      allow: this.opts.allow,
    });
    for (const lp of this.project.pipelines) {
      const w = lp.pipeline.watch;
      if (!w) continue;
      let folder: string;
      try {
        folder = readablePath(paths, w.folder, 'the watched folder');
      } catch (e) {
        if (!(e instanceof PathRefused)) throw e;
        this.opts.onNote?.(`${lp.pipeline.name}: not watching: ${e.message}`);
        continue;
      }
      const matches = nameMatcher(w.pattern);
      const watcher = watch(folder, {
        ignoreInitial: true,
        depth: 0,
        awaitWriteFinish: {
          stabilityThreshold: w.stable_ms,
          pollInterval: Math.min(100, w.stable_ms),
        },
      });
      const onFile = (path: string): void => {
        if (!matches(basename(path))) return;
        this.opts.onNote?.(`${lp.pipeline.name}: ${path} is ready`);
        this.enqueue(lp.pipeline.name, {
          trigger: 'watch',
          runDate: today(undefined, this.now()),
          file: path,
        });
      };
      watcher.on('add', onFile).on('change', onFile);
      watcher.on('error', (e) =>
        this.opts.onNote?.(`${lp.pipeline.name}: watching ${folder}: ${(e as Error).message}`),
      );
      await new Promise<void>((r) => watcher.once('ready', () => r()));
      this.watchers.push(watcher);
      this.opts.onNote?.(`${lp.pipeline.name}: watching ${folder} for ${w.pattern}`);
    }
  }

  private enqueue(pipeline: string, job: Job): void {
    if (this.stopped) return;
    this.queues.set(pipeline, [...(this.queues.get(pipeline) ?? []), job]);
    this.pump(pipeline);
  }

  private pump(pipeline: string): void {
    const p = this.project.pipelines.find((x) => x.pipeline.name === pipeline)!.pipeline;
    const limit = p.schedule?.max_active_runs ?? 1;
    const queue = this.queues.get(pipeline) ?? [];
    while (!this.stopped && queue.length && (this.active.get(pipeline) ?? 0) < limit) {
      const job = queue.shift()!;
      this.active.set(pipeline, (this.active.get(pipeline) ?? 0) + 1);
      const done = runProject(this.project, this.store, {
        ...this.opts.hooksPerRun?.(),
        dataDir: this.opts.dataDir,
        allow: this.opts.allow,
        workers: this.opts.workers,
        password: this.opts.password,
        pipelines: [pipeline],
        downstream: true,
        runDate: job.runDate,
        trigger: job.trigger,
        ...(job.file ? { sourceFile: { pipeline, path: job.file } } : {}),
        signal: this.cancel.signal,
      })
        .then(
          (r) => this.opts.onRun?.(r, { ...job, pipeline }),
          (e: unknown) =>
            this.opts.onNote?.(
              `${pipeline}: the run for ${job.runDate} could not start: ${(e as Error).message}`,
            ),
        )
        .finally(() => {
          this.active.set(pipeline, (this.active.get(pipeline) ?? 1) - 1);
          this.running.delete(done);
          this.pump(pipeline);
        });
      this.running.add(done);
    }
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** Stops timers and watchers and cancels running runs (they end as cancelled). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.crons) c.stop();
    await Promise.all(this.watchers.map((w) => w.close()));
    this.cancel.abort();
    await this.idle();
  }
}
