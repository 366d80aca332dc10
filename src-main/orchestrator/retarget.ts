/** `--target postgres`: a pipeline's SQLite loads sent to the default PostgreSQL instead. */
import { PostgresOutput, type Output, type Pipeline } from '../../src-shared/recipe/pipeline';

/** Where a run's database outputs go. */
export type Target = 'sqlite' | 'postgres';

/** The pipeline with its SQLite outputs sent to PostgreSQL (schema sluice) instead. */
export function retarget(p: Pipeline, target: Target | undefined): Pipeline {
  if (target !== 'postgres') return p;
  return { ...p, outputs: p.outputs.map(toPostgres) };
}

/** A SQLite output as the same load into the default PostgreSQL (other outputs as they are). */
export function toPostgres(o: Output): Output {
  if (o.kind !== 'sqlite') return o;
  const { kind: _kind, path: _path, ...load } = o;
  return PostgresOutput.parse({ kind: 'postgres', ...load });
}
