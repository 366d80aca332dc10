/** Splits an expression into numbers, strings, [column names], identifiers and operators. */
import { ExprError } from './error';

export type Tok = { t: 'num' | 'str' | 'id' | 'col' | 'op' | 'eof'; v: string; pos: number };

/** The tokens of `src`, ending with an `eof` token; throws ExprError. */
export function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0], pos: start });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      let s = '';
      i++;
      while (true) {
        if (i >= src.length) throw new ExprError('unclosed string', src, start);
        if (src[i] === c) {
          if (src[i + 1] === c) {
            s += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (src[i] === '\\' && i + 1 < src.length) {
          s += src[i + 1] === c ? c : '\\' + src[i + 1];
          i += 2;
          continue;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s, pos: start });
    } else if (c === '[' || c === '`') {
      const close = c === '[' ? ']' : '`';
      const end = src.indexOf(close, i + 1);
      if (end < 0) throw new ExprError(`unclosed column name (expected ${close})`, src, start);
      out.push({ t: 'col', v: src.slice(i + 1, end), pos: start });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0], pos: start });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '<>', '<=', '>=', '&&', '||'].includes(two)) {
        out.push({ t: 'op', v: two, pos: start });
        i += 2;
      } else if ('+-*/%<>=(),!'.includes(c)) {
        out.push({ t: 'op', v: c, pos: start });
        i++;
      } else throw new ExprError(`unexpected character "${c}"`, src, start);
    }
  }
  out.push({ t: 'eof', v: '', pos: src.length });
  return out;
}
