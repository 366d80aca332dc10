/**
 * The taskbar/dock progress of the run the window follows, from the service's events. Pure:
 * it returns the value for BrowserWindow.setProgressBar (a fraction, 2 for "busy, amount
 * unknown", -1 to remove it) or null when the bar need not change.
 */
import type { ApiEvent } from '../../src-shared/api/contract';

/** Electron shows an indeterminate bar for any value above 1. */
export const INDETERMINATE = 2;
export const NONE = -1;

export class RunProgress {
  private runId: string | null = null;
  private total: number | null = null;
  private readonly done = new Set<string>();
  private shown: number | null = null;

  /** How many pipelines the run has (or, when not known exactly, an upper bound). */
  setTotal(runId: string, total: number): number | null {
    if (runId !== this.runId || total <= 0) return null;
    this.total = total;
    return this.show(this.fraction());
  }

  onEvent(e: ApiEvent): number | null {
    if (e.type === 'run.state') {
      if (e.status === 'running') {
        this.runId = e.run_id;
        this.total = null;
        this.done.clear();
        return this.show(INDETERMINATE);
      }
      if (e.run_id !== this.runId) return null;
      this.runId = null;
      return this.show(NONE);
    }
    if (!('run_id' in e) || e.run_id !== this.runId) return null;
    if (e.type === 'task.state' && e.status !== 'running') {
      this.done.add(e.pipeline);
      return this.show(this.fraction());
    }
    return null;
  }

  private fraction(): number {
    if (!this.total) return INDETERMINATE;
    return Math.min(this.done.size / Math.max(this.total, this.done.size), 1);
  }

  private show(v: number): number | null {
    if (v === this.shown) return null;
    this.shown = v;
    return v;
  }
}
