/** Checks a function call against its entry in the function table (src-shared/recipe/functions). */
import type { ArgType, FunctionArg, FunctionDoc } from '../../../src-shared/recipe/functions';
import type { Value } from '../table';
import type { Node } from './parser';
import type { CompiledNode, Kind } from './types';

/** The kinds each argument type refuses; `any` and `null` pass everywhere but `date`. */
const REFUSED: Record<ArgType, (k: Kind) => boolean> = {
  any: () => false,
  string: () => false,
  number: (k) => k === 'string' || k === 'boolean',
  boolean: (k) => k !== 'boolean' && k !== 'null' && k !== 'any',
  date: (k) => k !== 'date' && k !== 'datetime',
};

/** The spec of the argument at `i` (the repeated last argument covers the rest). */
export function argAt(doc: FunctionDoc, i: number): FunctionArg | undefined {
  const last = doc.args[doc.args.length - 1];
  return i < doc.args.length ? doc.args[i] : last?.repeated ? last : undefined;
}

/** A literal's value; a minus sign before a number literal counts as part of it. */
function literalOf(n: Node): { v: Value } | null {
  if (n.k === 'lit') return { v: n.v };
  if (n.k === 'un' && n.op === 'neg' && n.a.k === 'lit' && typeof n.a.v === 'number')
    return { v: -n.a.v };
  return null;
}

/**
 * Checks the number, types and literal-ness of a call's arguments and returns the values of
 * its literal arguments by position (undefined for the others); `fail` throws.
 */
export function checkCall(
  doc: FunctionDoc,
  nodes: Node[],
  args: CompiledNode[],
  fail: (message: string) => never,
): Value[] {
  const lo = doc.args.filter((x) => !x.optional).length;
  const repeated = doc.args.some((x) => x.repeated);
  const hi = repeated ? Infinity : doc.args.length;
  if (args.length < lo || args.length > hi)
    fail(
      `${doc.name}() takes ${
        hi === Infinity ? `at least ${lo}` : lo === hi ? lo : `${lo} to ${hi}`
      } argument${hi === 1 || (hi === Infinity && lo === 1) ? '' : 's'}`,
    );
  const literals: Value[] = [];
  args.forEach((arg, i) => {
    const spec = argAt(doc, i)!;
    if (REFUSED[spec.type](arg.kind))
      fail(
        spec.type === 'date'
          ? `${doc.name}() needs a date, not ${arg.kind}`
          : `${doc.name}() needs ${spec.type === 'number' ? 'a number' : 'a boolean'} for ${spec.name}, not ${arg.kind}`,
      );
    if (!spec.literal) return;
    const lit = literalOf(nodes[i]);
    const want = spec.type === 'number' ? 'number' : 'string';
    if (!lit || typeof lit.v !== want)
      fail(
        `${doc.name}() needs ${spec.name} written as a ${want === 'string' ? 'quoted text' : 'number'}`,
      );
    literals[i] = lit!.v;
  });
  return literals;
}
