/**
 * The temporary tables a run with `engine: postgres` stages its files into (sinks/pg-engine.ts),
 * named here once so that `sluice explain` prints the names a run uses: the source (a CSV file,
 * or another pipeline's output file) is pg_temp."src", each joined or unioned table
 * pg_temp."side <name>", every one with its file line in "_sluice_line" (the rows' order).
 */
import { sideName, type SideRef } from '../step';
import type { Field } from '../table';
import type { SqlRelation } from './builder';
import { ident } from './text';

/** The column of a staged table that keeps each row's line in its file. */
export const STAGED_LINE = '_sluice_line';
/** The staged source's table. */
export const SOURCE_TABLE = 'src';

/** The table a joined or unioned table is staged in. */
export function sideTable(ref: SideRef): string {
  return `side ${sideName(ref)}`;
}

/** A staged table as the compiled SQL reads it. */
export function stagedRelation(table: string, fields: Field[]): SqlRelation {
  return { from: `pg_temp.${ident(table)}`, fields, order: ident(STAGED_LINE) };
}
