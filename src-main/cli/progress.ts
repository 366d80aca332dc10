/** A one-line progress display on a terminal; silent when stderr is not a TTY. */
import type { Progress } from '../orchestrator/run-pipeline';

export function progressPrinter(enabled = process.stderr.isTTY === true): {
  update(p: Progress): void;
  done(): void;
} {
  let shown = false;
  return {
    update(p) {
      if (!enabled) return;
      const frac = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0;
      const width = 24;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      const rps = p.elapsedMs > 0 ? Math.round((p.rows * 1000) / p.elapsedMs) : 0;
      process.stderr.write(
        p.stage
          ? `\r\x1b[K[${bar}] ${p.pipeline}: ${p.rows.toLocaleString('en-US')} rows, ${p.stage}`
          : `\r[${bar}] ${p.pipeline}: ${p.rows.toLocaleString('en-US')} rows, ${rps.toLocaleString('en-US')} rows/s   `,
      );
      shown = true;
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
