/**
 * What several slices use: an error's message, a download, the empty runs view. Kept apart so
 * slices import it rather than each other.
 */
import type { RunsSlice } from './types';

/** The message of whatever was thrown. */
export const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Offers text (or text in parts, for big files) as a file download. */
export function saveAs(filename: string, type: string, content: string | string[]): void {
  const url = URL.createObjectURL(
    new Blob(typeof content === 'string' ? [content] : content, { type }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The runs view with nothing loaded: at start, and when another project opens. */
export const NO_RUNS: Omit<RunsSlice['runs'], 'activeRunId'> = {
  list: null,
  filter: { page: 1 },
  selected: null,
  logs: [],
  rejects: null,
  error: null,
};
