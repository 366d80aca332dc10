/**
 * A run's logical date and the `{{ run_date }}` placeholders recipes may use in any text
 * setting: source paths, filters and derived columns, output paths (partitions).
 */
import { ConfigError, type LoadedPipeline } from '../io/recipe-load';
import { RunRequestError } from './run-request-error';

export { RunRequestError };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a YYYY-MM-DD date; returns it. */
export function checkRunDate(d: string): string {
  const m = DATE.exec(d);
  const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  if (!m || new Date(t).toISOString().slice(0, 10) !== d)
    throw new RunRequestError(`"${d}" is not a date: expected YYYY-MM-DD, like 2026-01-31`);
  return d;
}

/** Today's date on this machine's clock and time zone, or in `timeZone`. */
export function today(timeZone?: string, now = new Date()): string {
  // The local date without Intl: its first use loads locale data, tens of ms of every run's start.
  const y = now.getFullYear();
  if (!timeZone && y >= 1000 && y <= 9999) {
    const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
    return `${y}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  }
  return now.toLocaleDateString('sv-SE', timeZone ? { timeZone } : undefined);
}

/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(checkRunDate(from));
  const end = Date.parse(checkRunDate(to));
  if (end < start) throw new RunRequestError(`--to ${to} is before --from ${from}`);
  const days: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

function variables(runDate: string): Record<string, string> {
  return { run_date: runDate, run_date_nodash: runDate.replace(/-/g, '') };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The pipeline with every `{{ name }}` in its text settings filled in; unknown names are errors. */
export function renderPipeline(lp: LoadedPipeline, runDate: string): LoadedPipeline {
  const vars = variables(runDate);
  const fill = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string')
      return v.replace(PLACEHOLDER, (_, name: string) => {
        if (Object.hasOwn(vars, name)) return vars[name];
        throw new ConfigError([
          {
            file: lp.file,
            line: 1,
            column: 1,
            path: path.map(String),
            message: `unknown placeholder {{ ${name} }}; the placeholders are: ${Object.keys(vars).join(', ')}`,
          },
        ]);
      });
    if (Array.isArray(v)) return v.map((x, i) => fill(x, [...path, i]));
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [fill(k, path) as string, fill(x, [...path, k])]),
      );
    return v;
  };
  return { ...lp, pipeline: fill(lp.pipeline, []) as LoadedPipeline['pipeline'] };
}
