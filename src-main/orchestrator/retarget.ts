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

/** The pipeline with its SQLite outputs sent to PostgreSQL (schema sluice) instead. */
export function retarget(p: Pipeline, target: Target | undefined): Pipeline {
  if (target === undefined || target === 'sqlite') return p;
  const connection = target === 'postgres' ? undefined : target.slice('postgres:'.length);
  return { ...p, outputs: p.outputs.map((o) => toPostgres(o, connection)) };
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
