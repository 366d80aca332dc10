/**
 * Regular expressions written by users (replace, validate, matches, regex_extract) have RE2's
 * syntax and meaning, and run in time linear in the text, whatever the pattern, so `(a+)+$`
 * cannot spin a core. What only a backtracking engine can do (backreferences, lookahead,
 * lookbehind) is refused with the feature named.
 *
 * RE2 here is re2js, a pure JavaScript port: several times slower than V8's own engine on
 * small cells. So a pattern in a plain subset (no quantified groups, at most one quantifier
 * that is not a fixed count) is also translated to an equivalent V8 RegExp, used for cells
 * short enough that its worst case stays small; everything else goes to RE2.
 *
 *   compileUserRegex('(\\d{3})-(\\d{4})').replaceAll('555-1234', '$1$2') === '5551234'
 */
import { RE2JS } from 're2js';

export class UserRegexError extends Error {}

export interface UserRegex {
  readonly source: string;
  /** True when the pattern matches anywhere in `s`. */
  test(s: string): boolean;
  /** Every match replaced; `$1`, `$<name>`, `$&` and `$$` as in String.prototype.replace. */
  replaceAll(s: string, replacement: string): string;
  /** Group `group` (0: the whole match) of the first match, or null. */
  extract(s: string, group: number): string | null;
}

const UNSUPPORTED: [RegExp, string][] = [
  [/\\[1-9]|\\k</, 'a backreference (\\1, \\k<name>)'],
  [/\(\?<[=!]/, 'a lookbehind ((?<= or (?<!)'],
  [/\(\?[=!]/, 'a lookahead ((?= or (?!)'],
  [/\(\?>/, 'an atomic group ((?>)'],
  [/\\u/, 'a \\u escape (write \\x{00e9} for é)'],
];

/**
 * Longest text given to the V8 translation of a pattern with a quantifier: one quantifier over
 * a single character costs at most about length² steps there (65,536 here).
 */
export const NATIVE_MAX_LENGTH = 256;

/** Compiles `pattern` with RE2; throws UserRegexError with a message fit for the user. */
export function compileUserRegex(pattern: string): UserRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    const hit = UNSUPPORTED.find(([probe]) => probe.test(pattern));
    throw new UserRegexError(
      hit
        ? `/${pattern}/ uses ${hit[1]}, which the linear-time pattern engine (RE2) does not support`
        : `/${pattern}/: ${(e as Error).message}`,
    );
  }
  const groups = re.groupCount();
  const slow: UserRegex = {
    source: pattern,
    test: (s) => re.test(s),
    replaceAll: (s, replacement) => (re.test(s) ? re.matcher(s).replaceAll(replacement) : s),
    extract(s, group) {
      if (group < 0 || group > groups || !Number.isInteger(group)) return null;
      const m = re.exec(s);
      return (m?.[group] as string | undefined) ?? null;
    },
  };
  const plain = toNative(pattern);
  if (!plain) return slow;
  const max = plain.quantifiers === 0 ? Infinity : NATIVE_MAX_LENGTH;
  const one = new RegExp(plain.source, 'u');
  const all = new RegExp(plain.source, 'gu');
  return {
    source: pattern,
    test: (s) => (s.length <= max ? one.test(s) : slow.test(s)),
    replaceAll(s, replacement) {
      if (s.length > max) return slow.replaceAll(s, replacement);
      all.lastIndex = 0;
      return all.test(s) ? s.replace(all, replacement) : s;
    },
    extract(s, group) {
      if (s.length > max) return slow.extract(s, group);
      if (group < 0 || group > groups || !Number.isInteger(group)) return null;
      return one.exec(s)?.[group] ?? null;
    },
  };
}

const SYNTAX = '^$\\.*+?()[]{}|/';

/**
 * The V8 source of a pattern that means the same in RE2 and V8 (`u` flag) and backtracks
 * little: single characters, classes, groups and alternation, quantifiers on single
 * characters only, at most one of them not a fixed count. Null for anything else. RE2's `\s`
 * and `.` are narrower than V8's, so they are spelled out.
 */
export function toNative(pattern: string): { source: string; quantifiers: number } | null {
  let out = '';
  let quantifiers = 0;
  let atom = false; // the last thing written is a single character a quantifier may follow
  let depth = 0;
  let i = 0;
  const hex = /^[0-9A-Fa-f]{2}$/;
  /** One escape at i (pointing at the backslash); null when it is not in the subset. */
  const escape = (inClass: boolean): string | null => {
    const c = pattern[i + 1];
    if (c === undefined) return null;
    i += 2;
    if ('dDwW'.includes(c)) return '\\' + c;
    if ('bB'.includes(c)) return inClass ? null : '\\' + c;
    if (c === 's') return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
    if (c === 'S') return inClass ? null : '[^\\t\\n\\f\\r ]';
    if ('fnrtv'.includes(c)) return '\\' + c;
    if (SYNTAX.includes(c) || (inClass && c === '-')) return '\\' + c;
    if (c === 'x' && hex.test(pattern.slice(i, i + 2))) {
      i += 2;
      return '\\x' + pattern.slice(i - 2, i);
    }
    return null;
  };
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const e = escape(false);
      if (e === null) return null;
      out += e;
      atom = !/^\\[bB]$/.test(e);
    } else if (c === '[') {
      let cls = '[';
      i++;
      if (pattern[i] === '^') {
        cls += '^';
        i++;
      }
      if (pattern[i] === ']') return null; // RE2 reads a leading ] as a member, V8 as the end
      while (i < pattern.length && pattern[i] !== ']') {
        const d = pattern[i];
        if (d === '[') return null;
        if (d === '\\') {
          const e = escape(true);
          if (e === null) return null;
          cls += e;
        } else {
          cls += d;
          i++;
        }
      }
      if (i >= pattern.length) return null;
      out += cls + ']';
      i++;
      atom = true;
    } else if (c === '(') {
      if (pattern.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else if (pattern[i + 1] === '?') {
        const m = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i));
        if (!m) return null;
        out += m[0];
        i += m[0].length;
      } else {
        out += '(';
        i++;
      }
      depth++;
      atom = false;
    } else if (c === ')') {
      if (depth-- === 0) return null;
      out += ')';
      i++;
      atom = false; // a quantified group is not in the subset
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      if (!atom) return null;
      let q = c;
      let fixed = false;
      if (c === '{') {
        const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(pattern.slice(i));
        if (!m) return null;
        q = m[0];
        fixed = m[2] === undefined || m[1] === m[3];
      }
      i += q.length;
      if (pattern[i] === '?') {
        q += '?';
        i++;
      }
      out += q;
      if (!fixed && ++quantifiers > 1) return null;
      atom = false;
    } else if (c === '.') {
      out += '[^\\n]';
      i++;
      atom = true;
    } else if (c === '^' || c === '$' || c === '|') {
      out += c;
      i++;
      atom = false;
    } else if (c === ']' || c === '}') {
      return null;
    } else {
      const cp = pattern.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out += ch === '/' ? '\\/' : ch;
      i += ch.length;
      atom = true;
    }
  }
  if (depth !== 0) return null;
  try {
    new RegExp(out, 'u');
  } catch {
    return null;
  }
  return { source: out, quantifiers };
}
