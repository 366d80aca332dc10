/**
 * Number parsing for the messy renderings found in real exports: currency symbols and codes,
 * thousands separators, percent, parentheses for negatives, stray spaces.
 */

export interface NumberFormat {
  decimal: '.' | ',';
  thousands: ',' | '.' | ' ' | "'" | '';
  percent: boolean;
}

export const DEFAULT_NUMBER_FORMAT: NumberFormat = { decimal: '.', thousands: ',', percent: true };

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const CURRENCY_SYMBOLS = /[$€£¥₹₩₽¢]/g;

/** Plain JavaScript number syntax only ("12", "-3.5", "1e3"). */
export function parsePlainNumber(s: string): number | null {
  return PLAIN.test(s) ? Number(s) : null;
}

/**
 * Parses `"$1,234.50 "`, `(12.00)`, `-€3`, `45%`, `1.234,5` (with decimal ','), `USD 12`.
 * Returns null when the text is not a number in that format.
 */
export function parseNumber(
  text: string,
  fmt: NumberFormat = DEFAULT_NUMBER_FORMAT,
): number | null {
  let s = text.trim();
  if (s === '') return null;
  if (fmt.decimal === '.' && PLAIN.test(s)) return Number(s);
  let negative = false;
  if (s[0] === '(' && s[s.length - 1] === ')') {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  let percent = false;
  if (fmt.percent && s[s.length - 1] === '%') {
    percent = true;
    s = s.slice(0, -1).trim();
  }
  // Currency: one symbol or ISO code, before or after the number, possibly after a sign.
  let sign = '';
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0];
    s = s.slice(1).trim();
  }
  const symbols = s.match(CURRENCY_SYMBOLS);
  if (symbols && symbols.length > 1) return null;
  s = s.replace(CURRENCY_SYMBOLS, '').trim();
  const code = /^[A-Z]{3}\s*|\s*[A-Z]{3}$/.exec(s);
  if (code) s = s.replace(code[0], '');
  if (!sign && (s[0] === '-' || s[0] === '+')) {
    sign = s[0];
    s = s.slice(1).trim();
  }
  if (sign === '-' && negative) return null;
  if (sign === '-') negative = true;
  if (fmt.thousands) {
    const parts = s.split(fmt.decimal);
    if (parts.length > 2) return null;
    const intPart = parts[0];
    if (intPart.includes(fmt.thousands)) {
      const groups = intPart.split(fmt.thousands);
      if (groups[0].length < 1 || groups[0].length > 3) return null;
      for (let g = 1; g < groups.length; g++) if (groups[g].length !== 3) return null;
      parts[0] = groups.join('');
    }
    s = parts.join('.');
  } else if (fmt.decimal === ',') s = s.replace(',', '.');
  if (!/^(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  let n = Number(s);
  if (negative) n = -n;
  if (percent) n = n / 100;
  return n;
}

/** Rounds to 12 significant decimals so that 0.1 + 0.2 style noise never reaches a file. */
export function tidy(n: number): number {
  return Number.isInteger(n) ? n : Number(n.toPrecision(15));
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/** true/false/yes/no/y/n/t/f/1/0, any case; null for anything else. */
export function parseBoolean(text: string): boolean | null {
  const s = text.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return null;
}

/** Integer syntax without leading zeros (so zip codes such as 01234 stay text). */
export function parseIntStrict(text: string): number | null {
  const s = text.trim();
  if (!/^[+-]?(0|[1-9]\d*)$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}
