/**
 * One CSV line per row in SQL, byte for byte what the CSV output writes (io/csv-encode.ts and
 * csvCell): values in their canonical text, text cells formula-protected and quoted as RFC 4180
 * wants, nulls empty. A run on the server streams these lines out with COPY instead of passing
 * each row through the engine's batches.
 */
import type { Field } from '../table';
import { valueText } from './builder';
import { ident, lit } from './text';

export interface CsvLineOptions {
  delimiter: string;
  formulaProtection: boolean;
  newline: string;
}

/** csvCell's test for a number that needs no protection (src-shared/csv.ts PLAIN_NUMBER). */
const PLAIN_NUMBER = `'^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$'`;

/** csvCell(v, delimiter, protect) of a text expression. */
function cellSql(v: string, o: CsvLineOptions): string {
  const p = o.formulaProtection
    ? `CASE WHEN left(${v}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') AND ${v} !~ ${PLAIN_NUMBER} THEN '''' || ${v} ELSE ${v} END`
    : v;
  return (
    `CASE WHEN strpos(${p}, '"') > 0 THEN '"' || replace(${p}, '"', '""') || '"' ` +
    `WHEN strpos(${p}, ${lit(o.delimiter)}) > 0 OR strpos(${p}, E'\\n') > 0 OR strpos(${p}, E'\\r') > 0 THEN '"' || ${p} || '"' ` +
    `ELSE ${p} END`
  );
}

/** The CSV line (with its line break) of each row of a relation with these columns. */
export function csvLineSql(fields: Field[], o: CsvLineOptions): string {
  const cells = fields.map((f) => {
    const x = ident(f.name);
    // Only text is protected and quoted; the canonical text of other values never needs it.
    const text = f.type === 'string' ? cellSql(x, o) : valueText(f.type, x);
    return `coalesce(${text}, '')`;
  });
  if (!cells.length) return lit(o.newline);
  return `${cells.join(` || ${lit(o.delimiter)} || `)} || ${lit(o.newline)}`;
}
