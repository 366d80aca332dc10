/**
 * A one-line progress display on a terminal, for every pipeline running at once; silent when
 * stderr is not a TTY.
 */
import type { Progress } from '../orchestrator/run-pipeline';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

export function progressPrinter(enabled = process.stderr.isTTY === true): {
  update(p: Progress): void;
  /** A pipeline finished (or, without a name, all did): its part of the line goes. */
  done(pipeline?: string): void;
} {
  const running = new Map<string, Progress>();
  let shown = false;
  const render = (): void => {
    if (!enabled) return;
    if (running.size === 0) {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
      return;
    }
    const parts = [...running.values()].map((p) => {
      if (p.stage) return `${p.pipeline}: ${n(p.rows)} rows, ${p.stage}`;
      const frac = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0;
      const rps = p.elapsedMs > 0 ? (p.rows * 1000) / p.elapsedMs : 0;
      const width = running.size > 1 ? 10 : 24;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      return `[${bar}] ${p.pipeline}: ${n(p.rows)} rows, ${n(rps)} rows/s`;
    });
    const cols = process.stderr.columns;
    const width = cols && cols > 40 ? cols : 160;
    process.stderr.write(`\r\x1b[K${parts.join(' | ').slice(0, width - 1)}`);
    shown = true;
  };
  return {
    update(p) {
      running.set(p.pipeline, p);
      render();
    },
    done(pipeline) {
      if (pipeline === undefined) running.clear();
      else running.delete(pipeline);
      render();
    },
  };
}
