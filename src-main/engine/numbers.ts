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
  if (fmt.decimal === '.' && (fmt.thousands === ',' || fmt.thousands === '')) {
    const fast = scanUsNumber(text, fmt.thousands === ',');
    if (fast !== undefined) return fast;
  }
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
  if (percent) n = tidy(n / 100);
  return n;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The common case in one pass, without allocating: optional spaces, '-', '$', digits with
 * ',' groups, '.', digits, spaces. Returns undefined for anything else (the general path
 * decides). mantissa / 10^k is correctly rounded, so it equals Number() of the same digits.
 */
function scanUsNumber(s: string, groups: boolean): number | undefined {
  const n = s.length;
  let i = 0;
  while (i < n && s.charCodeAt(i) === 32) i++;
  let neg = false;
  if (s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  if (s.charCodeAt(i) === 36) i++; // $
  let mant = 0;
  let digits = 0;
  let groupLen = -1; // digits since the last ',' (-1: no ',' seen)
  let firstGroup = 0;
  let c = s.charCodeAt(i);
  while (i < n) {
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (groupLen >= 0) groupLen++;
      else firstGroup++;
    } else if (c === 44 && groups) {
      if (digits === 0 || (groupLen >= 0 ? groupLen !== 3 : firstGroup > 3)) return undefined;
      groupLen = 0;
    } else break;
    c = s.charCodeAt(++i);
  }
  if (digits === 0 || (groupLen >= 0 && groupLen !== 3)) return undefined;
  let k = 0;
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (i < n && c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      k++;
      c = s.charCodeAt(++i);
    }
  }
  while (i < n && s.charCodeAt(i) === 32) i++;
  if (i !== n || digits > 15 || k >= POW10.length) return undefined;
  const v = mant / POW10[k];
  return neg ? -v : v;
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

/** Plain digits with an optional '-', up to 15 of them, without allocating; else undefined. */
export function scanInt(s: string): number | undefined {
  const n = s.length;
  let i = 0;
  let neg = false;
  if (n > 0 && s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  if (i === n || n - i > 15) return undefined;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}
