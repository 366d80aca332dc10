/** The building blocks of compiled expressions: operators, null handling and branching. */
import type { Value } from '../table';
import type { CompiledNode, Kind } from './types';

export const COMPARE: Record<string, (x: Value, y: Value) => boolean> = {
  '==': (x, y) => x === y,
  '!=': (x, y) => x !== y,
  '<': (x, y) => (x as number) < (y as number),
  '<=': (x, y) => (x as number) <= (y as number),
  '>': (x, y) => (x as number) > (y as number),
  '>=': (x, y) => (x as number) >= (y as number),
};

/** Division by zero is null, as in SQL, rather than Infinity. */
export const ARITHMETIC: Record<string, (x: number, y: number) => number | null> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => (y === 0 ? null : x / y),
  '%': (x, y) => (y === 0 ? null : x % y),
};

/** Binds two operands; null when either is null, else fn of both. */
export function both(
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

/** Binds one operand; null stays null, anything else goes through fn. */
export function unary(
  kind: Kind,
  a: CompiledNode,
  fn: (v: Value) => Value,
  int = false,
): CompiledNode {
  return {
    kind,
    int,
    bind: (b) => {
      const f = a.bind(b);
      return (i) => {
        const v = f(i);
        return v === null ? null : fn(v);
      };
    },
  };
}

/** case/if: the value of the first true condition, else the otherwise value (or null). */
export function choose(
  branches: [CompiledNode, CompiledNode][],
  otherwise: CompiledNode | null,
  fail: (message: string) => never,
): CompiledNode {
  const values = [...branches.map(([, v]) => v), ...(otherwise ? [otherwise] : [])];
  const kinds = [...new Set(values.map((v) => v.kind).filter((k) => k !== 'null'))];
  if (kinds.length > 1) fail(`the branches give different types: ${kinds.join(', ')}`);
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
}

export function withInt(int: boolean, c: CompiledNode): CompiledNode {
  return { ...c, int };
}

export function truthy(v: Value): boolean {
  return v !== null && v !== false && v !== 0 && v !== '';
}
