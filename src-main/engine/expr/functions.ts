/**
 * The implementations of the expression functions, keyed by the names in the function table
 * (src-shared/recipe/functions.ts). By the time one runs, the call has been checked against
 * its entry: the number and types of arguments, and which ones are literals.
 */
import {
  civilFromDays,
  compileDateFormat,
  formatIsoDate,
  formatIsoDateTime,
  formatWith,
  MS_PER_DAY,
} from '../dates';
import type { Value } from '../table';
import type { UserRegex } from '../user-regex';
import { isoWeekOf, quarterOf, weekdayOf } from './calendar';
import { both, choose, unary, withInt } from './operators';
import type { CompiledNode, Kind } from './types';

/** A checked call, handed to its implementation. */
export interface Call {
  name: string;
  args: CompiledNode[];
  /** The values of the arguments the table marks literal, by position. */
  literals: Value[];
  fail(message: string): never;
  /** A literal pattern compiled for RE2; one it cannot run fails the call. */
  pattern(source: string): UserRegex;
}

export type Implementation = (c: Call) => CompiledNode;

const str = (v: Value): string => (typeof v === 'string' ? v : String(v));

/** Day numbers of a date or datetime value. */
const toDays = (k: Kind): ((v: number) => number) =>
  k === 'datetime' ? (v) => Math.floor(v / MS_PER_DAY) : (v) => v;

const datePart =
  (part: (days: number) => number): Implementation =>
  ({ args: [a] }) => {
    const days = toDays(a.kind);
    return unary('number', a, (v) => part(days(v as number)), true);
  };

const textTest =
  (test: (x: string, y: string) => boolean): Implementation =>
  ({ args: [a, b] }) =>
    both('boolean', a, b, (x, y) => test(str(x), str(y)));

export const IMPLEMENTATIONS: Readonly<Record<string, Implementation>> = {
  is_null: ({ args: [a] }) => ({
    kind: 'boolean',
    bind: (b) => {
      const f = a.bind(b);
      return (i) => f(i) === null;
    },
  }),
  coalesce: ({ args }) => ({
    kind: args.find((a) => a.kind !== 'null')?.kind ?? 'null',
    int: args.every((a) => a.int || a.kind === 'null'),
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
  }),
  if: ({ args, fail }) => choose([[args[0], args[1]]], args[2] ?? null, fail),
  lower: ({ args: [a] }) => unary('string', a, (v) => str(v).toLowerCase()),
  upper: ({ args: [a] }) => unary('string', a, (v) => str(v).toUpperCase()),
  trim: ({ args: [a] }) => unary('string', a, (v) => str(v).trim()),
  length: ({ args: [a] }) => unary('number', a, (v) => str(v).length, true),
  concat: ({ args }) => ({
    kind: 'string',
    bind: (b) => {
      const fs = args.map((a) => a.bind(b));
      const text = args.map((a): ((v: Value) => string) =>
        a.kind === 'date'
          ? (v) => formatIsoDate(v as number)
          : a.kind === 'datetime'
            ? (v) => formatIsoDateTime(v as number)
            : str,
      );
      return (i) => {
        let out = '';
        for (let k = 0; k < fs.length; k++) {
          const v = fs[k](i);
          if (v !== null) out += text[k](v);
        }
        return out;
      };
    },
  }),
  substring: ({ args }) => ({
    kind: 'string',
    bind: (b) => {
      const [f, g, h] = args.map((a) => a.bind(b));
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
  }),
  replace: ({ args }) => ({
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
  }),
  contains: textTest((x, y) => x.includes(y)),
  starts_with: textTest((x, y) => x.startsWith(y)),
  ends_with: textTest((x, y) => x.endsWith(y)),
  matches: ({ args: [a], literals, pattern }) => {
    const re = pattern(literals[1] as string);
    return unary('boolean', a, (v) => re.test(str(v)));
  },
  regex_extract: ({ args: [a], literals, pattern }) => {
    const re = pattern(literals[1] as string);
    const group = (literals[2] as number | undefined) ?? 0;
    return unary('string', a, (v) => re.extract(str(v), group));
  },
  abs: ({ args: [a] }) => unary('number', a, (v) => Math.abs(v as number), a.int),
  round: ({ args: [a], literals }) => {
    const digits = (literals[1] as number | undefined) ?? 0;
    const f = 10 ** digits;
    return unary('number', a, (v) => Math.round((v as number) * f) / f, digits <= 0);
  },
  floor: ({ args: [a] }) => unary('number', a, (v) => Math.floor(v as number), true),
  ceil: ({ args: [a] }) => unary('number', a, (v) => Math.ceil(v as number), true),
  date: ({ literals, fail }) => {
    const text = literals[0] as string;
    const ms = compileDateFormat('yyyy-MM-dd').parse(text);
    if (ms === null) return fail(`"${text}" is not an ISO date (yyyy-MM-dd)`);
    const days = Math.floor(ms / MS_PER_DAY);
    return { kind: 'date', int: true, bind: () => () => days };
  },
  year: datePart((d) => civilFromDays(d)[0]),
  month: datePart((d) => civilFromDays(d)[1]),
  day: datePart((d) => civilFromDays(d)[2]),
  quarter: datePart(quarterOf),
  weekday: datePart(weekdayOf),
  week: datePart(isoWeekOf),
  add_days: ({ args: [a, n] }) => {
    const step = a.kind === 'datetime' ? MS_PER_DAY : 1;
    return withInt(
      true,
      both(a.kind, a, n, (x, y) => (x as number) + Math.trunc(y as number) * step),
    );
  },
  diff_days: ({ args: [a, b] }) => {
    const da = toDays(a.kind);
    const db = toDays(b.kind);
    return withInt(
      true,
      both('number', a, b, (x, y) => da(x as number) - db(y as number)),
    );
  },
  format_date: ({ args: [a], literals }) => {
    const fmt = literals[1] as string;
    const toMs = a.kind === 'datetime' ? (v: number) => v : (v: number) => v * MS_PER_DAY;
    return unary('string', a, (v) => formatWith(fmt, toMs(v as number)));
  },
};
