/**
 * Text to typed values in SQL, with the meaning of the engine's parsers (numbers.ts, dates.ts):
 * each conversion is a few stages of helper columns and a final expression that is null where
 * the engine's parser returns null. Every cast inside is guarded by a regular expression of the
 * accepted shape, so a value the engine refuses is null here, never a server error.
 */
import type { ColumnType } from '../../../src-shared/recipe/steps';
import { DATETIME_FORMATS } from '../convert-text';
import {
  dateFormatPieces,
  MONTH_NAMES_LONG,
  MONTH_NAMES_SHORT,
  renderPieces,
  type Part,
} from '../dates';
import type { NumberFormat } from '../numbers';
import { ident, jsTrim, lit, reEscape, SqlUnsupported, WS_CLASS } from './text';

/** Helper columns added one CTE at a time (a stage may use the helpers of earlier stages). */
export type Stage = [alias: string, expr: string][];

export interface Conversion {
  stages: Stage[];
  /** The converted value, or null where the engine's parser gives null. */
  value: string;
}

/** Plain JavaScript number syntax (numbers.ts PLAIN), exponents of at most four digits. */
const PLAIN = '^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,4})?$';

/**
 * text::float8 for text of PLAIN's shape, as Number() reads it. Magnitudes beyond 1e300 or below
 * 1e-300 are null: the engine reads them as Infinity or 0, PostgreSQL refuses them.
 */
function plainToFloat(t: string): string {
  // Without an exponent, at most 300 characters always lie within those bounds (or are 0), so
  // only the rare rest pays for the exact test through numeric.
  const short = `char_length(${t}) <= 300 AND strpos(${t}, 'e') = 0 AND strpos(${t}, 'E') = 0`;
  // Nested: PostgreSQL does not promise the order of AND, and ::numeric must see PLAIN text only.
  return `CASE WHEN ${t} ~ '${PLAIN}' THEN CASE WHEN ${short} THEN ${t}::float8 WHEN ${t}::numeric = 0 OR abs(${t}::numeric) BETWEEN 1e-300 AND 1e300 THEN ${t}::float8 END END`;
}

/** numbers.ts tidy(): whole numbers as they are, others rounded to 15 significant digits. */
export function tidy(x: string): string {
  // float8 -> numeric keeps 15 significant digits (DBL_DIG), as toPrecision(15) does.
  return `CASE WHEN ${x} = trunc(${x}) THEN ${x} ELSE ${x}::numeric::float8 END`;
}

const CURRENCY = '$€£¥₹₩₽¢';

/**
 * numbers.ts scanUsNumber's common case ("-$1,234.50"): optional '-', '$', digits (in ','
 * groups when `groups`), '.', digits. The general path reads such a text the same way.
 */
const usShape = (groups: boolean): string =>
  `^-?\\$?(${groups ? '[0-9]+|[0-9]{1,3}(,[0-9]{3})+' : '[0-9]+'})(\\.[0-9]*)?$`;

/**
 * parseNumber(text, fmt) of numbers.ts. A plain or common-case text is read at once; the
 * general path's helpers see only the other texts (`g` is null otherwise), so the regular
 * expressions and the stages cost the rows that need them.
 */
export function parseNumberSql(src: string, p: string, fmt: NumberFormat): Conversion {
  const h = (x: string): string => ident(`${p}${x}`);
  const t = h('t');
  const g = h('g');
  const D = fmt.decimal;
  const T = fmt.thousands;
  const shape = T
    ? `^(?:([0-9]+|[0-9]{1,3}(?:${reEscape(T)}[0-9]{3})+)(?:${reEscape(D)}[0-9]*)?|${reEscape(D)}[0-9]+)$`
    : D === '.'
      ? '^([0-9]+\\.?[0-9]*|\\.[0-9]+)$'
      : '^([0-9]+[.,]?[0-9]*|[.,][0-9]+)$';
  const sign = (s: string): string => `left(${s}, 1) IN ('-', '+')`;
  const trimmed = jsTrim(src);
  // The texts read without the general path: PLAIN (when '.' is the decimal) and the US shape.
  const quick: string[] = [];
  if (D === '.') quick.push(`${trimmed} ~ '${PLAIN}'`);
  const us = D === '.' && (T === ',' || T === '');
  if (us) quick.push(`(${trimmed} ~ '${usShape(T === ',')}' AND char_length(${trimmed}) <= 300)`);
  const paren = (x: string): string => `left(${x}, 1) = '(' AND right(${x}, 1) = ')'`;
  const stages: Stage[] = [
    [
      [`${p}t`, trimmed],
      [
        `${p}g`,
        quick.length ? `CASE WHEN ${quick.join(' OR ')} THEN NULL ELSE ${trimmed} END` : trimmed,
      ],
    ],
    [
      [`${p}neg`, paren(g)],
      [
        `${p}s1`,
        `CASE WHEN ${paren(g)} THEN ${jsTrim(`substr(${g}, 2, char_length(${g}) - 2)`)} ELSE ${g} END`,
      ],
    ],
    [
      [`${p}pct`, fmt.percent ? `right(${h('s1')}, 1) = '%'` : 'false'],
      [
        `${p}s2`,
        fmt.percent
          ? `CASE WHEN right(${h('s1')}, 1) = '%' THEN ${jsTrim(`left(${h('s1')}, -1)`)} ELSE ${h('s1')} END`
          : h('s1'),
      ],
    ],
    [
      [`${p}sign`, `CASE WHEN ${sign(h('s2'))} THEN left(${h('s2')}, 1) ELSE '' END`],
      [
        `${p}s3`,
        `CASE WHEN ${sign(h('s2'))} THEN ${jsTrim(`substr(${h('s2')}, 2)`)} ELSE ${h('s2')} END`,
      ],
    ],
    [
      // translate() drops each symbol, as the engine's replace(/[...]/g, '') does.
      [
        `${p}nsym`,
        `char_length(${h('s3')}) - char_length(translate(${h('s3')}, '${CURRENCY}', ''))`,
      ],
      [`${p}s4`, jsTrim(`translate(${h('s3')}, '${CURRENCY}', '')`)],
    ],
    [
      [
        `${p}s5`,
        `CASE WHEN ${h('s4')} ~ '^[A-Z]{3}' THEN regexp_replace(${h('s4')}, '^[A-Z]{3}${WS_CLASS}*', '') ` +
          `WHEN ${h('s4')} ~ '${WS_CLASS}*[A-Z]{3}$' THEN regexp_replace(${h('s4')}, '${WS_CLASS}*[A-Z]{3}$', '') ` +
          `ELSE ${h('s4')} END`,
      ],
    ],
    [
      [
        `${p}sign2`,
        `CASE WHEN ${h('sign')} = '' AND ${sign(h('s5'))} THEN left(${h('s5')}, 1) ELSE ${h('sign')} END`,
      ],
      [
        `${p}s6`,
        `CASE WHEN ${h('sign')} = '' AND ${sign(h('s5'))} THEN ${jsTrim(`substr(${h('s5')}, 2)`)} ELSE ${h('s5')} END`,
      ],
    ],
  ];
  const digits = T
    ? `translate(${h('s6')}, ${lit(D + T)}, '.')`
    : `translate(${h('s6')}, ',', '.')`;
  const s6ok =
    `${h('nsym')} <= 1 AND NOT (${h('sign2')} = '-' AND ${h('neg')}) ` +
    `AND ${h('s6')} ~ ${lit(shape)} AND char_length(${h('s6')}) <= 300`;
  const signed = `CASE WHEN ${h('neg')} OR ${h('sign2')} = '-' THEN -(${digits}::float8) ELSE ${digits}::float8 END`;
  let general = `CASE WHEN ${s6ok} THEN ${signed} END`;
  general = `CASE WHEN ${h('pct')} THEN ${tidy(`(${general}) / 100`)} ELSE ${general} END`;
  const quickValue = [
    ...(D === '.' ? [`WHEN ${t} ~ '${PLAIN}' THEN ${plainToFloat(t)}`] : []),
    ...(us ? [`WHEN ${g} IS NULL THEN translate(${t}, '$,', '')::float8`] : []),
  ];
  // A null source has a null g too, and gives null either way.
  const value = quickValue.length ? `CASE ${quickValue.join(' ')} ELSE ${general} END` : general;
  return { stages, value };
}

/** cast's reading of text as `type` (convert-text.ts textConversion). */
export function castTextSql(
  src: string,
  p: string,
  type: ColumnType,
  formats: string[] | undefined,
): Conversion {
  switch (type) {
    case 'int': {
      const t = ident(`${p}t`);
      const f = plainToFloat(t);
      // Number.isSafeInteger: whole and within 2^53 - 1.
      return {
        stages: [[[`${p}t`, jsTrim(src)]], [[`${p}f`, f]]],
        value: `CASE WHEN ${ident(`${p}f`)} = trunc(${ident(`${p}f`)}) AND abs(${ident(`${p}f`)}) <= 9007199254740991 THEN ${ident(`${p}f`)} END`,
      };
    }
    case 'float':
      return {
        stages: [[[`${p}t`, jsTrim(src)]]],
        value: plainToFloat(ident(`${p}t`)),
      };
    case 'decimal':
      return parseNumberSql(src, p, { decimal: '.', thousands: ',', percent: true });
    case 'boolean': {
      const t = `lower(${jsTrim(src)})`;
      return {
        stages: [],
        value: `CASE WHEN ${t} IN ('true', 't', 'yes', 'y', '1') THEN true WHEN ${t} IN ('false', 'f', 'no', 'n', '0') THEN false END`,
      };
    }
    case 'date':
    case 'datetime':
      return parseDatesSql(
        src,
        p,
        formats ?? (type === 'date' ? ['yyyy-MM-dd'] : DATETIME_FORMATS),
        type,
      );
    default:
      throw new SqlUnsupported(`a cast from text to ${type}`);
  }
}

const MONTHS = "ARRAY['jan','feb','mar','apr','may','jun','jul','aug','sep','oct','nov','dec']";
const MONTHS_LONG =
  "ARRAY['january','february','march','april','may','june','july','august','september','october','november','december']";

/** The regular expression and parts of a date format, as dates.ts reads it. */
function formatRegex(format: string): { re: string; parts: Part[] } {
  const pieces = dateFormatPieces(format);
  const re = pieces.map((p) => ('part' in p ? p.re : reEscape(p.literal))).join('');
  return { re: `^${re}$`, parts: pieces.flatMap((p) => ('part' in p ? [p.part] : [])) };
}

/** The width of a part's text when fixed (`([0-9]{4})`: 4), else null (`([0-9]{1,2})`). */
function fixedWidth(re: string): number | null {
  if (re === '([AaPp][Mm])') return 2;
  const m = /^\(\[[^\]]+\]\{(\d+)\}\)$/.exec(re);
  return m ? Number(m[1]) : null;
}

/**
 * Each part of a text already known to have the format's shape, taken apart without a regular
 * expression: every literal character becomes one separator for split_part, and parts side by
 * side are cut at fixed widths. PostgreSQL's regexp_match must dissect its captures with
 * backtracking, which costs it up to a thousand times a `~` test; split_part costs about as
 * little as the test. Null when the format cannot be cut this way (a literal digit, a literal
 * letter beside month names or am/pm, or parts of varying width side by side): those keep
 * regexp_match.
 */
function splitParts(src: string, format: string): Map<Part, string> | null {
  const pieces = dateFormatPieces(format);
  const literal = pieces.flatMap((p) => ('literal' in p ? [...p.literal] : []));
  const letters = pieces.some((p) => 'part' in p && /^(MMM|MMMM|a)$/.test(p.part));
  if (literal.some((c) => /[0-9]/.test(c) || (letters && /[A-Za-z]/.test(c)))) return null;
  const sep = literal[0];
  const others = [...new Set(literal)].filter((c) => c !== sep).join('');
  const text = others
    ? `translate(${src}, ${lit(others)}, ${lit(sep.repeat(others.length))})`
    : src;
  const fields: { re: string; part: Part }[][] = [[]];
  for (const piece of pieces) {
    if ('part' in piece) fields[fields.length - 1].push(piece);
    else for (let i = 0; i < piece.literal.length; i++) fields.push([]);
  }
  const out = new Map<Part, string>();
  for (const [k, run] of fields.entries()) {
    const field = sep === undefined ? src : `split_part(${text}, ${lit(sep)}, ${k + 1})`;
    if (run.length === 1) out.set(run[0].part, field);
    else {
      let at = 1;
      for (const piece of run) {
        const w = fixedWidth(piece.re);
        if (w === null) return null;
        out.set(piece.part, `substr(${field}, ${at}, ${w})`);
        at += w;
      }
    }
  }
  return out;
}

/**
 * The first of `formats` that reads the text, as a date or a timestamp; null when none does or
 * the date does not exist (31 April), as dates.ts parses. The formats were checked by the engine.
 * Each format is tried with a `~` test of its whole shape, then its parts are cut out.
 */
export function parseDatesSql(
  src: string,
  p: string,
  formats: string[],
  output: 'date' | 'datetime',
): Conversion {
  // The text once in a helper column: the parts refer to it many times, and the source may be
  // an expression (the steps before, inlined) that would be computed again at each reference.
  const stage: Stage = [[`${p}x`, src]];
  const x = ident(`${p}x`);
  const values = formats.map((format, k) => {
    const { re, parts } = formatRegex(format);
    const split = splitParts(x, format);
    let g: (part: Part) => string;
    let matched: string;
    if (split) {
      g = (part) => split.get(part)!;
      matched = `${x} ~ ${lit(re)}`;
    } else {
      const m = ident(`${p}m${k}`);
      // In the stage that also copies the text, so from the source itself.
      stage.push([`${p}m${k}`, `regexp_match(${src}, ${lit(re)})`]);
      g = (part) => `(${m})[${parts.indexOf(part) + 1}]`;
      matched = `${m} IS NOT NULL`;
    }
    const has = (part: Part): boolean => parts.includes(part);
    const y = has('y')
      ? `${g('y')}::int`
      : `(${g('yy')}::int + CASE WHEN ${g('yy')}::int < 69 THEN 2000 ELSE 1900 END)`;
    const mo = has('M')
      ? `${g('M')}::int`
      : has('MMM')
        ? `coalesce(array_position(${MONTHS}, lower(${g('MMM')})), 0)`
        : `coalesce(array_position(${MONTHS_LONG}, lower(${g('MMMM')})), array_position(${MONTHS}, lower(${g('MMMM')})), 0)`;
    const d = `${g('d')}::int`;
    const h12 = has('h') ? `${g('h')}::int` : null;
    const pm = has('a') ? `lower(left(${g('a')}, 1)) = 'p'` : null;
    const hh = has('H')
      ? `${g('H')}::int`
      : h12
        ? `(${h12} % 12 + CASE WHEN ${pm} THEN 12 ELSE 0 END)`
        : '0';
    const mi = has('m') ? `${g('m')}::int` : '0';
    const ss = has('s') ? `${g('s')}::int` : '0';
    const ms = has('S') ? `rpad(${g('S')}, 3, '0')::int` : '0';
    const leap = `((${y}) % 4 = 0 AND (${y}) % 100 <> 0 OR (${y}) % 400 = 0)`;
    const dim = `CASE WHEN ${mo} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${mo} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
    const checks = [
      matched,
      `${mo} BETWEEN 1 AND 12`,
      `${d} >= 1`,
      `${d} <= ${dim}`,
      ...(h12 ? [`${h12} BETWEEN 1 AND 12`] : []),
      `${hh} <= 23`,
      `${mi} <= 59`,
      `${ss} <= 59`,
    ];
    // PostgreSQL has no year 0: the engine's year 0 (proleptic) is 1 BC.
    const date = `make_date(CASE WHEN ${y} = 0 THEN -1 ELSE ${y} END, ${mo}, ${d})`;
    const value =
      output === 'date'
        ? date
        : `(${date}::timestamp + (${hh} * 3600000 + ${mi} * 60000 + ${ss} * 1000 + ${ms}) * interval '1 millisecond')`;
    // Nested CASE: PostgreSQL does not promise AND's order, and make_date must never see a bad day.
    return checks.reduceRight((inner, c) => `CASE WHEN ${c} THEN ${inner} END`, value);
  });
  return {
    stages: [stage],
    value: values.length === 1 ? values[0] : `COALESCE(${values.join(', ')})`,
  };
}

/**
 * dates.ts formatWith in SQL: the text of a date or timestamp(3) `v` in a token format (checked
 * by the engine). `v` is read several times: pass a column, not an expression.
 */
export function formatDateSql(v: string, kind: 'date' | 'datetime', format: string): string {
  const day = kind === 'datetime' ? `(${v})::date` : v;
  // PostgreSQL has no year 0: its 1 BC is the engine's year 0.
  const y = `(extract(year FROM ${day})::int + CASE WHEN extract(year FROM ${day}) < 0 THEN 1 ELSE 0 END)`;
  const mo = `extract(month FROM ${day})::int`;
  const d = `extract(day FROM ${day})::int`;
  const time = kind === 'datetime';
  const hh = time ? `extract(hour FROM ${v})::int` : '0';
  const h12 = time ? `(CASE WHEN ${hh} % 12 = 0 THEN 12 ELSE ${hh} % 12 END)` : '12';
  const mi = time ? `extract(minute FROM ${v})::int` : '0';
  const ss = time ? `floor(extract(second FROM ${v}))::int` : '0';
  const ms = time ? `(extract(milliseconds FROM ${v})::int % 1000)` : '0';
  // padStart pads short text and keeps long text whole (lpad would cut it); pad2 puts one 0
  // before any number under 10, a negative one too (a year before 1 BC).
  const pad = (x: string, w: number): string =>
    w === 2
      ? `CASE WHEN ${x} < 10 THEN '0' ELSE '' END || (${x})::text`
      : `CASE WHEN char_length((${x})::text) < ${w} THEN lpad((${x})::text, ${w}, '0') ELSE (${x})::text END`;
  const names = (list: string[]): string => `(ARRAY[${list.map(lit).join(', ')}])[${mo}]`;
  const token: Record<string, string> = {
    yyyy: pad(y, 4),
    yy: pad(`${y} % 100`, 2),
    MMMM: names(MONTH_NAMES_LONG),
    MMM: names(MONTH_NAMES_SHORT),
    MM: pad(mo, 2),
    M: `(${mo})::text`,
    dd: pad(d, 2),
    d: `(${d})::text`,
    HH: pad(hh, 2),
    H: `(${hh})::text`,
    hh: pad(h12, 2),
    h: `(${h12})::text`,
    mm: pad(mi, 2),
    m: `(${mi})::text`,
    ss: pad(ss, 2),
    s: `(${ss})::text`,
    SSS: pad(ms, 3),
    a: time ? `CASE WHEN ${hh} < 12 THEN 'AM' ELSE 'PM' END` : `'AM'`,
  };
  const parts = renderPieces(format).map((p) =>
    p.token !== undefined ? token[p.token] : lit(p.literal),
  );
  return parts.length
    ? `CASE WHEN ${v} IS NOT NULL THEN ${parts.join(' || ')} END`
    : `CASE WHEN ${v} IS NOT NULL THEN '' END`;
}
