/**
 * `--target postgres`: a pipeline's SQLite loads sent to the default PostgreSQL instead, or
 * (`postgres:<name>`, the window's choice of a saved connection) to a named connection.
 */
import { PostgresOutput, type Output, type Pipeline } from '../../src-shared/recipe/pipeline';

/** Where a run's database outputs go. */
export type Target = 'sqlite' | 'postgres' | `postgres:${string}`;

/** The target of a run's request: a named connection implies postgres. */
export function targetOf(
  target: 'sqlite' | 'postgres' | undefined,
  connection?: string,
): Target | undefined {
  if (connection === undefined) return target;
  if (target === 'sqlite')
    throw new RangeError(
      `a connection (${connection}) is a PostgreSQL target: not with target sqlite`,
    );
  return `postgres:${connection}`;
}

/** A target as a run recorded it, or undefined for none; null when the text is not a target. */
export function parseTarget(text: string | null): Target | undefined | null {
  if (text === null) return undefined;
  if (text === 'sqlite' || text === 'postgres') return text;
  return /^postgres:.+$/.test(text) ? (text as Target) : null;
}

/** The target in words, for a run's log. Example: postgres:wh -> PostgreSQL connection wh. */
export function targetWords(target: Target): string {
  if (target === 'sqlite') return 'SQLite';
  if (target === 'postgres') return 'PostgreSQL at DATABASE_URL';
  return `PostgreSQL connection ${target.slice('postgres:'.length)}`;
}

/** The pipeline with its SQLite outputs sent to PostgreSQL (schema sluice) instead. */
export function retarget(p: Pipeline, target: Target | undefined): Pipeline {
  if (target === undefined || target === 'sqlite') return p;
  return { ...p, outputs: p.outputs.map((o) => toPostgres(o, targetConnection(target))) };
}

/** The connection a target names (postgres:<name>); undefined: the default, or none. */
export function targetConnection(target: Target | undefined): string | undefined {
  return target?.startsWith('postgres:') ? target.slice('postgres:'.length) : undefined;
}

/**
 * A SQLite output as the same load into PostgreSQL, the default connection or the one named
 * (other outputs as they are).
 */
export function toPostgres(o: Output, connection?: string): Output {
  if (o.kind !== 'sqlite') return o;
  const { kind: _kind, path: _path, ...load } = o;
  return PostgresOutput.parse({ kind: 'postgres', ...load, ...(connection && { connection }) });
}
