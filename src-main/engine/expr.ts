/**
 * A small, safe expression language for filters (and later derived columns). It is parsed into
 * a tree and compiled to closures; nothing is ever passed to eval. Nulls follow SQL: a
 * comparison with null is null, and a filter keeps only rows where the expression is true.
 *
 *   Quantity > 0 and [Currency Code] in ('USD', 'EUR')
 *   not is_null(Email) and matches(Email, '@example\.com$')
 *   year([Order Date]) >= 2019
 */
import type { ColumnType } from '../../src-shared/recipe/steps';
import {
  civilFromDays,
  compileDateFormat,
  daysFromCivil,
  formatIsoDate,
  formatIsoDateTime,
  formatWith,
  MS_PER_DAY,
} from './dates';
import { rawValue, type Batch, type Field, type Value } from './table';
import { compileUserRegex, UserRegexError, type UserRegex } from './user-regex';

export class ExprError extends Error {
  constructor(
    message: string,
    readonly expression: string,
    readonly position?: number,
  ) {
    super(
      position === undefined
        ? `${message} in "${expression}"`
        : `${message} at position ${position + 1} of "${expression}"`,
    );
  }
}

type Tok = { t: 'num' | 'str' | 'id' | 'col' | 'op' | 'eof'; v: string; pos: number };

function lex(src: string): Tok[] {
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

export type Kind = 'number' | 'string' | 'boolean' | 'date' | 'datetime' | 'null' | 'any';
type Node =
  | { k: 'lit'; v: Value; kind: Kind; pos: number }
  | { k: 'col'; name: string; pos: number }
  | { k: 'un'; op: string; a: Node; pos: number }
  | { k: 'bin'; op: string; a: Node; b: Node; pos: number }
  | { k: 'in'; a: Node; list: Node[]; neg: boolean; pos: number }
  | { k: 'isnull'; a: Node; neg: boolean; pos: number }
  | { k: 'call'; name: string; args: Node[]; pos: number }
  | { k: 'case'; whens: [Node, Node][]; otherwise: Node | null; pos: number };

/** Deeper expressions are refused: compiling and evaluating them recurses once per level. */
export const MAX_DEPTH = 256;

function parse(src: string): Node {
  const toks = lex(src);
  let p = 0;
  let depth = 0;
  const nested = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH)
      throw new ExprError(`nested more than ${MAX_DEPTH} levels deep`, src, peek().pos);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const peek = (): Tok => toks[p];
  const isKw = (w: string): boolean => peek().t === 'id' && peek().v.toLowerCase() === w;
  const isOp = (o: string): boolean => peek().t === 'op' && peek().v === o;
  const expect = (o: string): void => {
    if (!isOp(o)) throw new ExprError(`expected "${o}"`, src, peek().pos);
    p++;
  };
  const or = (): Node => nested(orChain);
  const orChain = (): Node => {
    let a = and();
    while (isKw('or') || isOp('||')) {
      const pos = toks[p++].pos;
      a = { k: 'bin', op: 'or', a, b: and(), pos };
    }
    return a;
  };
  const and = (): Node => {
    let a = not();
    while (isKw('and') || isOp('&&')) {
      const pos = toks[p++].pos;
      a = { k: 'bin', op: 'and', a, b: not(), pos };
    }
    return a;
  };
  const not = (): Node => {
    if (isKw('not') || isOp('!')) {
      const pos = toks[p++].pos;
      return { k: 'un', op: 'not', a: nested(not), pos };
    }
    return cmp();
  };
  const cmp = (): Node => {
    const a = add();
    const t = peek();
    if (t.t === 'op' && ['==', '=', '!=', '<>', '<', '<=', '>', '>='].includes(t.v)) {
      p++;
      const op = t.v === '=' ? '==' : t.v === '<>' ? '!=' : t.v;
      return { k: 'bin', op, a, b: add(), pos: t.pos };
    }
    if (isKw('is')) {
      p++;
      const neg = isKw('not');
      if (neg) p++;
      if (!isKw('null')) throw new ExprError('expected "null" after "is"', src, peek().pos);
      p++;
      return { k: 'isnull', a, neg, pos: t.pos };
    }
    const neg = isKw('not') && toks[p + 1]?.t === 'id' && toks[p + 1].v.toLowerCase() === 'in';
    if (neg) p++;
    if (isKw('in')) {
      const pos = toks[p++].pos;
      expect('(');
      const list: Node[] = [];
      if (!isOp(')')) {
        list.push(add());
        while (isOp(',')) {
          p++;
          list.push(add());
        }
      }
      expect(')');
      return { k: 'in', a, list, neg, pos };
    }
    return a;
  };
  const add = (): Node => {
    let a = mul();
    while (isOp('+') || isOp('-')) {
      const t = toks[p++];
      a = { k: 'bin', op: t.v, a, b: mul(), pos: t.pos };
    }
    return a;
  };
  const mul = (): Node => {
    let a = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const t = toks[p++];
      a = { k: 'bin', op: t.v, a, b: unary(), pos: t.pos };
    }
    return a;
  };
  const unary = (): Node => {
    if (isOp('-')) {
      const pos = toks[p++].pos;
      return { k: 'un', op: 'neg', a: nested(unary), pos };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = toks[p++];
    switch (t.t) {
      case 'num':
        return { k: 'lit', v: Number(t.v), kind: 'number', pos: t.pos };
      case 'str':
        return { k: 'lit', v: t.v, kind: 'string', pos: t.pos };
      case 'col':
        return { k: 'col', name: t.v, pos: t.pos };
      case 'id': {
        const low = t.v.toLowerCase();
        if (low === 'true' || low === 'false')
          return { k: 'lit', v: low === 'true', kind: 'boolean', pos: t.pos };
        if (low === 'null') return { k: 'lit', v: null, kind: 'null', pos: t.pos };
        if (low === 'case') {
          const whens: [Node, Node][] = [];
          while (isKw('when')) {
            p++;
            const cond = or();
            if (!isKw('then')) throw new ExprError('expected "then"', src, peek().pos);
            p++;
            whens.push([cond, or()]);
          }
          if (whens.length === 0) throw new ExprError('case needs at least one "when"', src, t.pos);
          let otherwise: Node | null = null;
          if (isKw('else')) {
            p++;
            otherwise = or();
          }
          if (!isKw('end')) throw new ExprError('expected "end" to close "case"', src, peek().pos);
          p++;
          return { k: 'case', whens, otherwise, pos: t.pos };
        }
        if (isOp('(')) {
          p++;
          const args: Node[] = [];
          if (!isOp(')')) {
            args.push(or());
            while (isOp(',')) {
              p++;
              args.push(or());
            }
          }
          expect(')');
          return { k: 'call', name: low, args, pos: t.pos };
        }
        return { k: 'col', name: t.v, pos: t.pos };
      }
      case 'op':
        if (t.v === '(') {
          const e = or();
          expect(')');
          return e;
        }
        throw new ExprError(`unexpected "${t.v}"`, src, t.pos);
      default:
        throw new ExprError('unexpected end of expression', src, t.pos);
    }
  };
  const tree = or();
  if (peek().t !== 'eof') throw new ExprError(`unexpected "${peek().v}"`, src, peek().pos);
  // Long chains (a + b + c ...) nest without recursion here, but not when compiled.
  const stack: [Node, number][] = [[tree, 1]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > MAX_DEPTH) throw new ExprError(`nested more than ${MAX_DEPTH} levels deep`, src, n.pos);
    for (const c of childrenOf(n)) stack.push([c, d + 1]);
  }
  return tree;
}

function childrenOf(n: Node): Node[] {
  switch (n.k) {
    case 'lit':
    case 'col':
      return [];
    case 'un':
    case 'isnull':
      return [n.a];
    case 'bin':
      return [n.a, n.b];
    case 'in':
      return [n.a, ...n.list];
    case 'call':
      return n.args;
    case 'case':
      return [...n.whens.flat(), ...(n.otherwise ? [n.otherwise] : [])];
  }
}

/** A compiled expression: bind it to a batch, then evaluate rows. */
export interface CompiledExpr {
  kind: Kind;
  /** True when the value is always a whole number. */
  int?: boolean;
  bind(batch: Batch): (row: number) => Value;
}

type Bound = (b: Batch) => (i: number) => Value;
interface CompiledNode {
  kind: Kind;
  bind: Bound;
  /** Numbers that are always whole (int columns, counts, date parts): derive types them int. */
  int?: boolean;
}

const typeKind = (t: ColumnType): Kind =>
  t === 'string'
    ? 'string'
    : t === 'boolean'
      ? 'boolean'
      : t === 'date'
        ? 'date'
        : t === 'datetime'
          ? 'datetime'
          : 'number';

/** Parses and type-checks `source` against the columns; throws ExprError. */
export function compileExpr(source: string, fields: Field[]): CompiledExpr {
  const tree = parse(source);
  const fail = (msg: string, pos?: number): never => {
    throw new ExprError(msg, source, pos);
  };
  /** A literal pattern compiled for RE2; what it cannot run is a type error at `pos`. */
  const userPattern = (pattern: string, pos: number): UserRegex => {
    try {
      return compileUserRegex(pattern);
    } catch (e) {
      if (e instanceof UserRegexError) return fail(`invalid pattern ${e.message}`, pos);
      throw e;
    }
  };
  const runtimeType = (what: string, v: Value, want: string): never => {
    throw new ExprError(`${what} expects ${want}, got ${JSON.stringify(v)}`, source);
  };

  /** Day numbers of a date or datetime argument; anything else is a type error. */
  const daysOf = (a: CompiledNode, fn: string, pos: number): ((v: number) => number) => {
    if (a.kind !== 'date' && a.kind !== 'datetime')
      fail(`${fn}() needs a date, not ${a.kind}`, pos);
    return a.kind === 'datetime' ? (v) => Math.floor(v / MS_PER_DAY) : (v) => v;
  };

  const compile = (n: Node): CompiledNode => {
    switch (n.k) {
      case 'lit': {
        const v = n.v;
        return { kind: n.kind, bind: () => () => v, int: Number.isInteger(v) };
      }
      case 'col': {
        const ci = fields.findIndex((f) => f.name === n.name);
        if (ci < 0)
          fail(
            `unknown column "${n.name}" (columns: ${fields.map((f) => f.name).join(', ')})`,
            n.pos,
          );
        const type = fields[ci].type;
        if (type === 'boolean')
          return {
            kind: 'boolean',
            bind: (b) => {
              const c = b.columns[ci];
              return (i) => {
                const v = rawValue(c, i);
                return v === null ? null : v !== 0;
              };
            },
          };
        return {
          kind: typeKind(type),
          int: type === 'int',
          bind: (b) => {
            const c = b.columns[ci];
            return (i) => rawValue(c, i);
          },
        };
      }
      case 'un': {
        const a = compile(n.a);
        if (n.op === 'not')
          return {
            kind: 'boolean',
            bind: (b) => {
              const f = a.bind(b);
              return (i) => {
                const v = f(i);
                return v === null ? null : !truthy(v);
              };
            },
          };
        if (a.kind === 'string' || a.kind === 'boolean') fail(`cannot negate ${a.kind}`, n.pos);
        return {
          kind: a.kind,
          bind: (b) => {
            const f = a.bind(b);
            return (i) => {
              const v = f(i);
              if (v === null) return null;
              if (typeof v !== 'number') runtimeType('-', v, 'a number');
              return -(v as number);
            };
          },
        };
      }
      case 'isnull': {
        const a = compile(n.a);
        return {
          kind: 'boolean',
          bind: (b) => {
            const f = a.bind(b);
            return (i) => (f(i) === null) !== n.neg;
          },
        };
      }
      case 'in': {
        const a = compile(n.a);
        const list = n.list.map((x) => coerceTo(compile(x), a.kind, x));
        return {
          kind: 'boolean',
          bind: (b) => {
            const f = a.bind(b);
            const fs = list.map((x) => x.bind(b));
            return (i) => {
              const v = f(i);
              if (v === null) return null;
              const hit = fs.some((g) => g(i) === v);
              return hit !== n.neg;
            };
          },
        };
      }
      case 'bin':
        return binary(n);
      case 'call':
        return call(n);
      case 'case':
        return choose(
          n.whens.map(([c, v]) => [compile(c), compile(v)]),
          n.otherwise ? compile(n.otherwise) : null,
          n.pos,
        );
    }
  };

  /** A string literal compared with a date column is read as an ISO date. */
  const coerceTo = (c: CompiledNode, kind: Kind, node: Node): CompiledNode => {
    if (
      node.k === 'lit' &&
      typeof node.v === 'string' &&
      (kind === 'date' || kind === 'datetime')
    ) {
      const ms = compileDateFormat(
        node.v.includes('T') ? "yyyy-MM-dd'T'HH:mm:ss" : 'yyyy-MM-dd',
      ).parse(node.v);
      if (ms === null) fail(`"${node.v}" is not an ISO date`, node.pos);
      const v = kind === 'date' ? Math.floor(ms! / MS_PER_DAY) : ms!;
      return { kind, bind: () => () => v };
    }
    return c;
  };

  /** case/if: the value of the first true condition, else the otherwise value (or null). */
  const choose = (
    branches: [CompiledNode, CompiledNode][],
    otherwise: CompiledNode | null,
    pos: number,
  ): CompiledNode => {
    const values = [...branches.map(([, v]) => v), ...(otherwise ? [otherwise] : [])];
    const kinds = [...new Set(values.map((v) => v.kind).filter((k) => k !== 'null'))];
    if (kinds.length > 1) fail(`the branches give different types: ${kinds.join(', ')}`, pos);
    return {
      kind: kinds[0] ?? 'null',
      int: values.every((v) => v.int || v.kind === 'null'),
      bind: (b) => {
        const conds = branches.map(([c]) => c.bind(b));
        const vals = branches.map(([, v]) => v.bind(b));
        const other = otherwise?.bind(b);
        return (i) => {
          for (let k = 0; k < conds.length; k++) if (conds[k](i) === true) return vals[k](i);
          return other ? other(i) : null;
        };
      },
    };
  };

  const binary = (n: Extract<Node, { k: 'bin' }>): CompiledNode => {
    let a = compile(n.a);
    let b = compile(n.b);
    if (n.op === 'and' || n.op === 'or') {
      const isAnd = n.op === 'and';
      return {
        kind: 'boolean',
        bind: (batch) => {
          const f = a.bind(batch);
          const g = b.bind(batch);
          return (i) => {
            const x = f(i);
            if (x !== null && truthy(x) !== isAnd) return !isAnd;
            const y = g(i);
            if (y !== null && truthy(y) !== isAnd) return !isAnd;
            return x === null || y === null ? null : isAnd;
          };
        },
      };
    }
    a = coerceTo(a, b.kind, n.a);
    b = coerceTo(b, a.kind, n.b);
    if (Object.hasOwn(COMPARE, n.op)) {
      if (a.kind !== 'any' && b.kind !== 'any' && a.kind !== 'null' && b.kind !== 'null') {
        const num = (k: Kind): boolean => k === 'number';
        if (a.kind !== b.kind && !(num(a.kind) && num(b.kind)))
          fail(`cannot compare ${a.kind} with ${b.kind}`, n.pos);
      }
      return both('boolean', a, b, COMPARE[n.op]);
    }
    for (const side of [a, b])
      if (side.kind === 'string' || side.kind === 'boolean')
        fail(`"${n.op}" needs numbers, not ${side.kind}`, n.pos);
    const op = n.op;
    const arith = ARITHMETIC[op];
    const whole = a.int === true && b.int === true && op !== '/';
    return withInt(
      whole,
      both('number', a, b, (x, y) => {
        if (typeof x !== 'number') runtimeType(op, x, 'a number');
        if (typeof y !== 'number') runtimeType(op, y, 'a number');
        return arith(x as number, y as number);
      }),
    );
  };

  const call = (n: Extract<Node, { k: 'call' }>): CompiledNode => {
    const args = n.args.map(compile);
    const arity = (lo: number, hi = lo): void => {
      if (args.length < lo || args.length > hi)
        fail(`${n.name}() takes ${lo === hi ? lo : `${lo} to ${hi}`} arguments`, n.pos);
    };
    const unaryFn = (kind: Kind, fn: (v: Value) => Value, int = false): CompiledNode => ({
      kind,
      int,
      bind: (b) => {
        const f = args[0].bind(b);
        return (i) => {
          const v = f(i);
          return v === null ? null : fn(v);
        };
      },
    });
    const str = (v: Value): string => (typeof v === 'string' ? v : String(v));
    switch (n.name) {
      case 'is_null':
        arity(1);
        return {
          kind: 'boolean',
          bind: (b) => {
            const f = args[0].bind(b);
            return (i) => f(i) === null;
          },
        };
      case 'coalesce':
        arity(1, 99);
        return {
          kind: args[0].kind,
          bind: (b) => {
            const fs = args.map((a) => a.bind(b));
            return (i) => {
              for (const f of fs) {
                const v = f(i);
                if (v !== null) return v;
              }
              return null;
            };
          },
        };
      case 'lower':
        arity(1);
        return unaryFn('string', (v) => str(v).toLowerCase());
      case 'upper':
        arity(1);
        return unaryFn('string', (v) => str(v).toUpperCase());
      case 'trim':
        arity(1);
        return unaryFn('string', (v) => str(v).trim());
      case 'length':
        arity(1);
        return unaryFn('number', (v) => str(v).length, true);
      case 'abs':
        arity(1);
        return { ...unaryFn('number', (v) => Math.abs(v as number)), int: args[0].int };
      case 'round': {
        arity(1, 2);
        const digits = n.args[1]?.k === 'lit' ? Number(n.args[1].v) : 0;
        const f = 10 ** digits;
        return unaryFn('number', (v) => Math.round((v as number) * f) / f, digits === 0);
      }
      case 'year':
      case 'month':
      case 'day': {
        arity(1);
        const a = args[0];
        if (a.kind !== 'date' && a.kind !== 'datetime')
          fail(`${n.name}() needs a date, not ${a.kind}`, n.pos);
        const part = n.name === 'year' ? 0 : n.name === 'month' ? 1 : 2;
        const toDays =
          a.kind === 'datetime' ? (v: number) => Math.floor(v / MS_PER_DAY) : (v: number) => v;
        return unaryFn('number', (v) => civilFromDays(toDays(v as number))[part], true);
      }
      case 'if':
        arity(2, 3);
        return choose([[args[0], args[1]]], args[2] ?? null, n.pos);
      case 'concat':
        arity(1, 99);
        return {
          kind: 'string',
          bind: (b) => {
            const fs = args.map((a) => a.bind(b));
            return (i) => {
              let out = '';
              for (let k = 0; k < fs.length; k++) {
                const v = fs[k](i);
                if (v !== null)
                  out +=
                    args[k].kind === 'date' || args[k].kind === 'datetime'
                      ? fmtDate(args[k].kind, v as number)
                      : str(v);
              }
              return out;
            };
          },
        };
      case 'substring': {
        arity(2, 3);
        const fs = args;
        return {
          kind: 'string',
          bind: (b) => {
            const [f, g, h] = fs.map((a) => a.bind(b));
            return (i) => {
              const v = f(i);
              const start = g(i);
              const len = h ? h(i) : undefined;
              if (v === null || start === null || len === null) return null;
              const from = Math.max(0, (start as number) - 1);
              return len === undefined
                ? str(v).slice(from)
                : str(v).slice(from, from + Math.max(0, len as number));
            };
          },
        };
      }
      case 'replace': {
        arity(3);
        return {
          kind: 'string',
          bind: (b) => {
            const [f, g, h] = args.map((a) => a.bind(b));
            return (i) => {
              const v = f(i);
              const from = g(i);
              const to = h(i);
              if (v === null || from === null || to === null) return null;
              return str(v).split(str(from)).join(str(to));
            };
          },
        };
      }
      case 'regex_extract': {
        arity(2, 3);
        const lit = n.args[1];
        if (lit.k !== 'lit' || typeof lit.v !== 'string')
          return fail('regex_extract() needs a literal pattern', n.pos);
        const re = userPattern(lit.v, n.pos);
        const group = n.args[2]?.k === 'lit' ? Number(n.args[2].v) : 0;
        return unaryFn('string', (v) => re.extract(str(v), group));
      }
      case 'floor':
        arity(1);
        return unaryFn('number', (v) => Math.floor(v as number), true);
      case 'ceil':
        arity(1);
        return unaryFn('number', (v) => Math.ceil(v as number), true);
      case 'date': {
        arity(1);
        const lit = n.args[0];
        if (lit.k !== 'lit' || typeof lit.v !== 'string')
          return fail('date() takes an ISO date in quotes', n.pos);
        const ms = compileDateFormat('yyyy-MM-dd').parse(lit.v);
        if (ms === null) return fail(`"${lit.v}" is not an ISO date (yyyy-MM-dd)`, n.pos);
        const days = Math.floor(ms / MS_PER_DAY);
        return { kind: 'date', int: true, bind: () => () => days };
      }
      case 'quarter':
      case 'weekday':
      case 'week': {
        arity(1);
        const toDays = daysOf(args[0], n.name, n.pos);
        const part =
          n.name === 'quarter' ? quarterOf : n.name === 'weekday' ? weekdayOf : isoWeekOf;
        return unaryFn('number', (v) => part(toDays(v as number)), true);
      }
      case 'add_days': {
        arity(2);
        const a = args[0];
        daysOf(a, n.name, n.pos);
        const step = a.kind === 'datetime' ? MS_PER_DAY : 1;
        return withInt(
          true,
          both(a.kind, a, args[1], (x, y) => (x as number) + Math.trunc(y as number) * step),
        );
      }
      case 'diff_days': {
        arity(2);
        const da = daysOf(args[0], n.name, n.pos);
        const db = daysOf(args[1], n.name, n.pos);
        return withInt(
          true,
          both('number', args[0], args[1], (x, y) => da(x as number) - db(y as number)),
        );
      }
      case 'format_date': {
        arity(2);
        const a = args[0];
        daysOf(a, n.name, n.pos);
        const lit = n.args[1];
        if (lit.k !== 'lit' || typeof lit.v !== 'string')
          return fail('format_date() needs a literal format', n.pos);
        const fmt = lit.v;
        const toMs = a.kind === 'datetime' ? (v: number) => v : (v: number) => v * MS_PER_DAY;
        return unaryFn('string', (v) => formatWith(fmt, toMs(v as number)));
      }
      case 'contains':
      case 'starts_with':
      case 'ends_with':
      case 'matches': {
        arity(2);
        if (n.name === 'matches') {
          const lit = n.args[1];
          if (lit.k !== 'lit' || typeof lit.v !== 'string')
            fail('matches() needs a literal pattern', n.pos);
          const re = userPattern((lit as { v: string }).v, n.pos);
          return unaryFn('boolean', (v) => re.test(str(v)));
        }
        const test =
          n.name === 'contains'
            ? (x: string, y: string) => x.includes(y)
            : n.name === 'starts_with'
              ? (x: string, y: string) => x.startsWith(y)
              : (x: string, y: string) => x.endsWith(y);
        return both('boolean', args[0], args[1], (x, y) => test(str(x), str(y)));
      }
      default:
        return fail(`unknown function ${n.name}()`, n.pos);
    }
  };

  const c = compile(tree);
  return { kind: c.kind, int: c.int, bind: c.bind };
}

function withInt(int: boolean, c: CompiledNode): CompiledNode {
  return { ...c, int };
}

function fmtDate(kind: Kind, v: number): string {
  return kind === 'date' ? formatIsoDate(v) : formatIsoDateTime(v);
}

/** 1..4 */
export function quarterOf(days: number): number {
  return Math.floor((civilFromDays(days)[1] - 1) / 3) + 1;
}

/** ISO weekday: Monday 1 .. Sunday 7 (1970-01-01 was a Thursday). */
export function weekdayOf(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(days: number): number {
  const thursday = days - weekdayOf(days) + 4;
  const [y] = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
}

const COMPARE: Record<string, (x: Value, y: Value) => boolean> = {
  '==': (x, y) => x === y,
  '!=': (x, y) => x !== y,
  '<': (x, y) => (x as number) < (y as number),
  '<=': (x, y) => (x as number) <= (y as number),
  '>': (x, y) => (x as number) > (y as number),
  '>=': (x, y) => (x as number) >= (y as number),
};

/** Division by zero is null, as in SQL, rather than Infinity. */
const ARITHMETIC: Record<string, (x: number, y: number) => number | null> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => (y === 0 ? null : x / y),
  '%': (x, y) => (y === 0 ? null : x % y),
};

/** Binds two operands; null when either is null, else fn of both. */
function both(
  kind: Kind,
  a: CompiledNode,
  b: CompiledNode,
  fn: (x: Value, y: Value) => Value,
): CompiledNode {
  return {
    kind,
    bind: (batch) => {
      const f = a.bind(batch);
      const g = b.bind(batch);
      return (i) => {
        const x = f(i);
        const y = g(i);
        return x === null || y === null ? null : fn(x, y);
      };
    },
  };
}

function truthy(v: Value): boolean {
  return v !== null && v !== false && v !== 0 && v !== '';
}
