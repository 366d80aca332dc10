/**
 * "Add a step for this column" in a preview grid's header menu: which steps a column offers and
 * the step each one inserts, with the column filled in so that it starts valid (the recipe
 * schema accepts it as it is; the form then refines it).
 */

export const COLUMN_STEPS = [
  'trim',
  'replace',
  'parse_dates',
  'parse_numbers',
  'cast',
  'rename',
  'drop',
  'fill_missing',
  'split',
  'dedupe',
  'validate',
] as const;
export type ColumnStepKind = (typeof COLUMN_STEPS)[number];

export const COLUMN_STEP_LABELS: Record<ColumnStepKind, string> = {
  trim: 'Trim spaces',
  replace: 'Replace values',
  parse_dates: 'Parse dates',
  parse_numbers: 'Parse numbers',
  cast: 'Cast to a type',
  rename: 'Rename',
  drop: 'Drop',
  fill_missing: 'Fill missing',
  split: 'Split at the first space',
  dedupe: 'De-duplicate on it',
  validate: 'Validate (not empty)',
};

export interface ColumnFacts {
  name: string;
  /** The preview's type of the column at this point (string until a step types it). */
  type: string;
  /** Date formats inference found for the column, when it is known (the source's profile). */
  formats?: string[] | null;
  /** Every column name at this point: new names must not collide with them. */
  taken: readonly string[];
}

/** Steps that only make sense on text: the menu shows them disabled, with why, elsewhere. */
const TEXT_ONLY = new Set<ColumnStepKind>([
  'trim',
  'replace',
  'parse_dates',
  'parse_numbers',
  'split',
]);
const NUMERIC = new Set(['int', 'float', 'decimal']);

/** Why `kind` is not offered for the column, or null when it is. */
export function unavailable(kind: ColumnStepKind, col: ColumnFacts): string | null {
  if (TEXT_ONLY.has(kind) && col.type !== 'string')
    return `${col.name} is ${col.type} already, not text`;
  return null;
}

/** A name not among `taken`: `base`, else `base 2`, `base 3`… */
function fresh(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base} ${i}`)) return `${base} ${i}`;
}

/** The column as an expression names it: [Name], or `Name` when it holds a "]". */
export const columnRef = (name: string): string =>
  name.includes(']') ? `\`${name}\`` : `[${name}]`;

/** When inference found no formats (a column made by a step, say): ISO dates. */
export const FALLBACK_DATE_FORMATS = ['yyyy-MM-dd'];

/** The step `kind` inserts for the column. */
export function columnStep(kind: ColumnStepKind, col: ColumnFacts): Record<string, unknown> {
  const c = col.name;
  switch (kind) {
    case 'trim':
      return { step: 'trim', columns: [c] };
    case 'replace':
      // Empty text becomes null: harmless as it stands, and the shape to edit further.
      return { step: 'replace', columns: [c], values: { '': null } };
    case 'parse_dates':
      return {
        step: 'parse_dates',
        columns: [c],
        formats: col.formats?.length ? [...col.formats] : FALLBACK_DATE_FORMATS,
      };
    case 'parse_numbers':
      return { step: 'parse_numbers', columns: [c] };
    case 'cast':
      // Text to a number is the usual cast; a typed column back to text the usual way out.
      return { step: 'cast', columns: { [c]: col.type === 'string' ? 'decimal' : 'string' } };
    case 'rename':
      return { step: 'rename', columns: { [c]: fresh(`${c} renamed`, col.taken) } };
    case 'drop':
      return { step: 'drop', columns: [c] };
    case 'fill_missing':
      return { step: 'fill_missing', columns: { [c]: NUMERIC.has(col.type) ? 'median' : 'mode' } };
    case 'split': {
      const first = fresh(`${c} 1`, col.taken);
      const rest = fresh(`${c} 2`, [...col.taken, first]);
      return {
        step: 'derive',
        columns: {
          [first]: `regex_extract(${columnRef(c)}, '^\\s*(\\S+)', 1)`,
          [rest]: `regex_extract(${columnRef(c)}, '^\\s*\\S+\\s+(.+)$', 1)`,
        },
      };
    }
    case 'dedupe':
      return { step: 'dedupe', key: [c] };
    case 'validate':
      return { step: 'validate', rules: [{ column: c, not_null: true }] };
  }
}
