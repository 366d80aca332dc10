/**
 * Parses an expression into a tree, by precedence: or, and, not, comparisons (incl. is null,
 * in), + -, * / %, unary minus, then literals, columns, calls, case and parentheses.
 */
import type { Value } from '../table';
import { ExprError } from './error';
import { lex, type Tok } from './lexer';
import type { Kind } from './types';

export type Node =
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

/** The syntax tree of `src`; throws ExprError with the position of the first problem. */
export function parse(src: string): Node {
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

export function childrenOf(n: Node): Node[] {
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
