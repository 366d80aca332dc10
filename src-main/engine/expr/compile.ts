/**
 * Type-checks a parsed expression against the columns and compiles it to closures; nothing is
 * ever passed to eval. Nulls follow SQL: a comparison with null is null. Function calls are
 * checked against the function table and run by their implementation, keyed by name.
 */
import type { ColumnType } from '../../../src-shared/recipe/steps';
import { functionDoc } from '../../../src-shared/recipe/functions';
import { compileDateFormat, MS_PER_DAY } from '../dates';
import { rawValue, type Field, type Value } from '../table';
import { compileUserRegex, UserRegexError, type UserRegex } from '../user-regex';
import { checkCall } from './check';
import { ExprError } from './error';
import { IMPLEMENTATIONS } from './functions';
import { ARITHMETIC, both, choose, COMPARE, truthy, withInt } from './operators';
import { parse, type Node } from './parser';
import type { CompiledExpr, CompiledNode, Kind } from './types';

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
  const runtimeType = (what: string, v: Value, want: string): never => {
    throw new ExprError(`${what} expects ${want}, got ${JSON.stringify(v)}`, source);
  };

  const compile = (n: Node): CompiledNode => {
    switch (n.k) {
      case 'lit': {
        const v = n.v;
        return { kind: n.kind, bind: () => () => v, int: Number.isInteger(v) };
      }
      case 'col':
        return column(n);
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
          (msg) => fail(msg, n.pos),
        );
    }
  };

  const column = (n: Extract<Node, { k: 'col' }>): CompiledNode => {
    const ci = fields.findIndex((f) => f.name === n.name);
    if (ci < 0)
      fail(`unknown column "${n.name}" (columns: ${fields.map((f) => f.name).join(', ')})`, n.pos);
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

  /** A call: checked against the function table, then built by its implementation. */
  const call = (n: Extract<Node, { k: 'call' }>): CompiledNode => {
    const doc = functionDoc(n.name);
    if (!doc) return fail(`unknown function ${n.name}()`, n.pos);
    const here = (msg: string): never => fail(msg, n.pos);
    const args = n.args.map(compile);
    const literals = checkCall(doc, n.args, args, here);
    const built = IMPLEMENTATIONS[doc.name]({
      name: doc.name,
      args,
      literals,
      fail: here,
      pattern: (p: string): UserRegex => {
        try {
          return compileUserRegex(p);
        } catch (e) {
          if (e instanceof UserRegexError) return here(`invalid pattern ${e.message}`);
          throw e;
        }
      },
    });
    return typeof doc.returns === 'string' ? { ...built, kind: doc.returns } : built;
  };

  const c = compile(tree);
  return { kind: c.kind, int: c.int, bind: c.bind };
}
