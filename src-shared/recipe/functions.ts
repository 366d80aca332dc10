/**
 * The functions of the expression language (filter `where`, derive columns), described once:
 * the engine checks calls against this table and implements each entry by name, the editor
 * offers it as hints, and docs/expressions.md is generated from it (`npm run docs:expressions`).
 */

/** What an argument accepts: `date` takes dates and datetimes; `string` takes any value, as text. */
export type ArgType = 'number' | 'string' | 'boolean' | 'date' | 'any';

export interface FunctionArg {
  name: string;
  type: ArgType;
  /** May be left out (only trailing arguments). */
  optional?: boolean;
  /** May be given any number of times, at least once (only the last argument). */
  repeated?: boolean;
  /** Must be written in the expression itself (a quoted pattern or format, a number). */
  literal?: boolean;
}

/** A fixed type, or the type of the named argument (`coalesce`, `if`, `add_days`). */
export type ReturnType = 'number' | 'string' | 'boolean' | 'date' | { like: string };

export interface FunctionDoc {
  name: string;
  args: FunctionArg[];
  returns: ReturnType;
  description: string;
  /** An expression over literals and its result; dates are shown as ISO text. */
  example: { expression: string; result: string | number | boolean | null };
}

const a = (name: string, type: ArgType, more: Partial<FunctionArg> = {}): FunctionArg => ({
  name,
  type,
  ...more,
});

/** Every function, in the order the docs list them. */
export const FUNCTIONS: readonly FunctionDoc[] = [
  {
    name: 'is_null',
    args: [a('value', 'any')],
    returns: 'boolean',
    description: 'True when the value is missing (the same as `value is null`).',
    example: { expression: 'is_null(null)', result: true },
  },
  {
    name: 'coalesce',
    args: [a('values', 'any', { repeated: true })],
    returns: { like: 'values' },
    description: 'The first of its arguments that is not null.',
    example: { expression: "coalesce(null, 'n/a')", result: 'n/a' },
  },
  {
    name: 'if',
    args: [a('condition', 'boolean'), a('then', 'any'), a('otherwise', 'any', { optional: true })],
    returns: { like: 'then' },
    description: '`then` when the condition is true, else `otherwise` (null when left out).',
    example: { expression: "if(2 > 1, 'yes', 'no')", result: 'yes' },
  },
  {
    name: 'lower',
    args: [a('text', 'string')],
    returns: 'string',
    description: 'The text in lower case.',
    example: { expression: "lower('Main Street')", result: 'main street' },
  },
  {
    name: 'upper',
    args: [a('text', 'string')],
    returns: 'string',
    description: 'The text in upper case.',
    example: { expression: "upper('eur')", result: 'EUR' },
  },
  {
    name: 'trim',
    args: [a('text', 'string')],
    returns: 'string',
    description: 'The text without spaces at either end.',
    example: { expression: "trim('  Berlin  ')", result: 'Berlin' },
  },
  {
    name: 'length',
    args: [a('text', 'string')],
    returns: 'number',
    description: 'The number of characters (UTF-16 code units) in the text.',
    example: { expression: "length('Sluice')", result: 6 },
  },
  {
    name: 'concat',
    args: [a('values', 'string', { repeated: true })],
    returns: 'string',
    description: 'The values joined as text; nulls are skipped, dates written as ISO dates.',
    example: { expression: "concat('SKU-', 42)", result: 'SKU-42' },
  },
  {
    name: 'substring',
    args: [a('text', 'string'), a('start', 'number'), a('length', 'number', { optional: true })],
    returns: 'string',
    description:
      'Part of the text from `start` (1 is the first character), to the end or `length` long.',
    example: { expression: "substring('Electronics', 1, 4)", result: 'Elec' },
  },
  {
    name: 'replace',
    args: [a('text', 'string'), a('find', 'string'), a('with', 'string')],
    returns: 'string',
    description: 'The text with every occurrence of `find` replaced (plain text, not a pattern).',
    example: { expression: "replace('2024/03/15', '/', '-')", result: '2024-03-15' },
  },
  {
    name: 'contains',
    args: [a('text', 'string'), a('part', 'string')],
    returns: 'boolean',
    description: 'True when the text contains `part`.',
    example: { expression: "contains('Contoso Store', 'Store')", result: true },
  },
  {
    name: 'starts_with',
    args: [a('text', 'string'), a('prefix', 'string')],
    returns: 'boolean',
    description: 'True when the text begins with `prefix`.',
    example: { expression: "starts_with('US-123', 'US-')", result: true },
  },
  {
    name: 'ends_with',
    args: [a('text', 'string'), a('suffix', 'string')],
    returns: 'boolean',
    description: 'True when the text ends with `suffix`.',
    example: { expression: "ends_with('report.csv', '.csv')", result: true },
  },
  {
    name: 'matches',
    args: [a('text', 'string'), a('pattern', 'string', { literal: true })],
    returns: 'boolean',
    description: 'True when the regular expression (RE2 syntax) matches somewhere in the text.',
    example: { expression: "matches('ann@example.com', '@example\\.com$')", result: true },
  },
  {
    name: 'regex_extract',
    args: [
      a('text', 'string'),
      a('pattern', 'string', { literal: true }),
      a('group', 'number', { optional: true, literal: true }),
    ],
    returns: 'string',
    description: 'The first match of the pattern (or of its numbered group), null when none.',
    example: { expression: "regex_extract('Order 1234-B', '[0-9]+')", result: '1234' },
  },
  {
    name: 'abs',
    args: [a('number', 'number')],
    returns: 'number',
    description: 'The number without its sign.',
    example: { expression: 'abs(-4.5)', result: 4.5 },
  },
  {
    name: 'round',
    args: [a('number', 'number'), a('digits', 'number', { optional: true, literal: true })],
    returns: 'number',
    description: 'The number rounded to `digits` decimals (0 when left out), halves up.',
    example: { expression: 'round(3.14159, 2)', result: 3.14 },
  },
  {
    name: 'floor',
    args: [a('number', 'number')],
    returns: 'number',
    description: 'The largest whole number not above the number.',
    example: { expression: 'floor(2.7)', result: 2 },
  },
  {
    name: 'ceil',
    args: [a('number', 'number')],
    returns: 'number',
    description: 'The smallest whole number not below the number.',
    example: { expression: 'ceil(2.1)', result: 3 },
  },
  {
    name: 'date',
    args: [a('text', 'string', { literal: true })],
    returns: 'date',
    description: 'The date written in quotes as yyyy-MM-dd.',
    example: { expression: "date('2024-03-15')", result: '2024-03-15' },
  },
  {
    name: 'year',
    args: [a('date', 'date')],
    returns: 'number',
    description: 'The year of a date or datetime.',
    example: { expression: "year(date('2024-03-15'))", result: 2024 },
  },
  {
    name: 'month',
    args: [a('date', 'date')],
    returns: 'number',
    description: 'The month of a date or datetime, 1 to 12.',
    example: { expression: "month(date('2024-03-15'))", result: 3 },
  },
  {
    name: 'day',
    args: [a('date', 'date')],
    returns: 'number',
    description: 'The day of the month of a date or datetime, 1 to 31.',
    example: { expression: "day(date('2024-03-15'))", result: 15 },
  },
  {
    name: 'quarter',
    args: [a('date', 'date')],
    returns: 'number',
    description: 'The quarter of the year, 1 to 4.',
    example: { expression: "quarter(date('2024-05-01'))", result: 2 },
  },
  {
    name: 'weekday',
    args: [a('date', 'date')],
    returns: 'number',
    description: 'The ISO day of the week: Monday 1 to Sunday 7.',
    example: { expression: "weekday(date('2024-03-15'))", result: 5 },
  },
  {
    name: 'week',
    args: [a('date', 'date')],
    returns: 'number',
    description: 'The ISO 8601 week number (week 1 holds the year’s first Thursday).',
    example: { expression: "week(date('2024-12-30'))", result: 1 },
  },
  {
    name: 'add_days',
    args: [a('date', 'date'), a('days', 'number')],
    returns: { like: 'date' },
    description: 'The date (or datetime) moved by a whole number of days, back when negative.',
    example: { expression: "add_days(date('2024-02-28'), 2)", result: '2024-03-01' },
  },
  {
    name: 'diff_days',
    args: [a('end', 'date'), a('start', 'date')],
    returns: 'number',
    description: 'The number of days from `start` to `end` (negative when `end` is earlier).',
    example: { expression: "diff_days(date('2024-03-01'), date('2024-02-01'))", result: 29 },
  },
  {
    name: 'format_date',
    args: [a('date', 'date'), a('format', 'string', { literal: true })],
    returns: 'string',
    description: 'The date written with a pattern such as dd/MM/yyyy or MMM d, yyyy HH:mm.',
    example: { expression: "format_date(date('2024-03-15'), 'dd/MM/yyyy')", result: '15/03/2024' },
  },
];

/** The entry for a function name (names are case-insensitive), or undefined. */
export function functionDoc(name: string): FunctionDoc | undefined {
  const low = name.toLowerCase();
  return FUNCTIONS.find((f) => f.name === low);
}

/** How a call is written, e.g. `substring(text, start[, length])`. */
export function signature(f: FunctionDoc): string {
  let out = '';
  f.args.forEach((arg, i) => {
    const sep = i === 0 ? '' : ', ';
    const name = arg.repeated ? `${arg.name}…` : arg.name;
    out += arg.optional ? `[${sep}${name}]` : `${sep}${name}`;
  });
  return `${f.name}(${out})`;
}

/** The return type in words: `number`, or `same as values`. */
export function returnText(r: ReturnType): string {
  return typeof r === 'string' ? r : `same as ${r.like}`;
}
