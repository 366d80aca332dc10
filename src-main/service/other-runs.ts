/**
 * Runs of the open project that this service did not start (`sluice run` in a terminal, a
 * schedule of another process, another server on the same store), told to its listeners as the
 * same events as a run started here: while anyone listens, the run store is looked at every
 * second, and each such run's plan, its pipelines' states and its end become run.state and
 * task.state events. A run started here tells its own, with its progress, as it happens.
 */
import type { ApiEvent } from '../../src-shared/api/contract';
import type { RunsStore, TaskStatus } from '../store/store';

export interface OtherRunsOptions {
  store(): Pick<RunsStore, 'listRuns' | 'getRun' | 'recoverInterrupted'>;
  /** The folder of the project whose runs are told. */
  projectDir(): string;
  /** Runs this service tells of itself. */
  ours(runId: string): boolean;
  emit(e: ApiEvent): void;
  /** How often to look, in ms. */
  every?: number;
}

export class OtherRuns {
  private timer: NodeJS.Timeout | null = null;
  /** The runs being told, with the status last told of each of their pipelines. */
  private readonly told = new Map<string, Map<string, TaskStatus>>();
  private scope: string | null = null;

  constructor(private readonly o: OtherRunsOptions) {}

  /** Looks every so often until stop(); a second start is the first one. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.look();
      } catch {
        // A store busy with a write, or closing, misses one look: the next one tells it.
      }
    }, this.o.every ?? 1000);
    // Looking keeps no process alive: the server's or the window's own handles do.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.told.clear();
  }

  /** One look at the store: runs begun, pipelines that changed state, runs ended. */
  look(): void {
    const dir = this.o.projectDir();
    // Another project is open: the last one's runs are no longer this window's business.
    if (dir !== this.scope) this.told.clear();
    this.scope = dir;
    const store = this.o.store();
    // A run whose process died is marked interrupted, and so told as ended.
    store.recoverInterrupted();
    const running = store
      .listRuns({ status: 'running', projectDir: dir, pageSize: 100 })
      .items.filter((r) => !this.o.ours(r.id) && !this.told.has(r.id))
      .map((r) => r.id);
    for (const id of [...this.told.keys(), ...running]) {
      const r = store.getRun(id);
      if (!r) {
        this.told.delete(id);
        continue;
      }
      let states = this.told.get(id);
      if (!states) {
        if (r.run.status !== 'running') continue;
        states = new Map();
        this.told.set(id, states);
        this.o.emit({ type: 'run.state', run_id: id, status: 'running', planned: r.run.planned });
      }
      for (const t of r.tasks) {
        if (states.get(t.pipeline) === t.status) continue;
        states.set(t.pipeline, t.status);
        this.o.emit({ type: 'task.state', run_id: id, pipeline: t.pipeline, status: t.status });
      }
      if (r.run.status !== 'running') {
        this.told.delete(id);
        this.o.emit({ type: 'run.state', run_id: id, status: r.run.status });
      }
    }
  }
}
