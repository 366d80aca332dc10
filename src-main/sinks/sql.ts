/** SQL text shared by the SQLite and PostgreSQL sinks. */

/** "Order Number" -> "Order Number", a"b -> "a""b": always quoted, so any name works. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A table in a schema, both quoted: `"sales"."Order Lines"`. */
export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
