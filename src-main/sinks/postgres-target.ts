/**
 * What a PostgreSQL load finds of its target table before writing, the same for the load that
 * streams rows (postgres-sink.ts) and the one the server makes itself (pg-inserver.ts): each
 * output column's type there, which are NOT NULL, and the refusals of a table it cannot fill.
 */
import type pg from 'pg';
import type { PostgresOutput } from '../../src-shared/recipe/pipeline';
import type { Field } from '../engine/table';
import { COLUMNS_SQL } from './postgres-sql';
import { SinkError } from './sink';

export interface TargetColumns {
  /** The target's type of each output column (information_schema's data_type), by name. */
  types: Map<string, string>;
  /** Per output column: the target column is NOT NULL. */
  notNull: boolean[];
}

/** Reads the target's columns; fails when an output column is missing or a NOT NULL one unfed. */
export async function targetColumns(
  client: pg.Client,
  o: Pick<PostgresOutput, 'schema' | 'table'>,
  fields: Field[],
): Promise<TargetColumns> {
  const existing = await client.query<{
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
  }>(COLUMNS_SQL, [o.schema, o.table]);
  const types = new Map(existing.rows.map((r) => [r.column_name, r.data_type]));
  for (const f of fields)
    if (!types.has(f.name))
      throw new SinkError(`table ${o.schema}.${o.table} has no column "${f.name}"`);
  const required = existing.rows.filter((r) => r.is_nullable === 'NO');
  // A NOT NULL column without a default that the pipeline does not write refuses every row.
  const unfed = required.filter(
    (r) => r.column_default === null && !fields.some((f) => f.name === r.column_name),
  );
  if (unfed.length)
    throw new SinkError(
      `table ${o.schema}.${o.table} has NOT NULL column${unfed.length > 1 ? 's' : ''} ${unfed.map((r) => `"${r.column_name}"`).join(', ')} without a default, which the pipeline does not write`,
    );
  return { types, notNull: fields.map((f) => required.some((r) => r.column_name === f.name)) };
}
