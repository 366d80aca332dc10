/**
 * aggregate: one row per group (rows with equal values in `group_by`, a null being a value like
 * any other so that no row disappears), with count, count_distinct, sum, mean, median, min,
 * max, std, var, first and last per column. Nulls are skipped by every function, as pandas does:
 * the sum of no values is 0, their mean null; first and last are the first and last non-null
 * values; std and var are sample figures (n - 1). Groups come out in order of first appearance.
 */
import type { ColumnType, StepOf } from '../../../src-shared/recipe/steps';
import { KeySet } from '../hashset';
import { RowKeys } from '../keys';
import { emitSliced, resolveColumns, StepConfigError, type StepImpl } from '../step';
import { numColumn, rawValue, type Column, type Field } from '../table';

export type Fn = StepOf<'aggregate'>['aggregations'][number]['fn'];
export type Raw = string | number | null;

interface Acc {
  add(g: number, v: Raw): void;
  result(g: number): Raw;
}

export const NUMERIC: Fn[] = ['sum', 'mean', 'median', 'std', 'var'];

export function outputType(fn: Fn, input: ColumnType | null): ColumnType {
  if (fn === 'count' || fn === 'count_distinct') return 'int';
  if (fn === 'mean' || fn === 'median' || fn === 'std' || fn === 'var') return 'float';
  return input ?? 'int';
}

export function accumulator(fn: Fn): Acc {
  switch (fn) {
    case 'count': {
      const n: number[] = [];
      return {
        add: (g, v) => void (v !== null && (n[g] = (n[g] ?? 0) + 1)),
        result: (g) => n[g] ?? 0,
      };
    }
    case 'count_distinct': {
      // One set of (group, value) pairs for all groups: a set per group costs far too much
      // when there are hundreds of thousands of small groups.
      const seen = new KeySet();
      const n: number[] = [];
      return {
        add: (g, v) => {
          if (v === null) return;
          const pair =
            typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 26 && g < 2 ** 26
              ? g * 2 ** 26 + v
              : `${g}\u0001${typeof v === 'number' ? 'n' : 's'}${v}`;
          if (seen.add(pair)) n[g] = (n[g] ?? 0) + 1;
        },
        result: (g) => n[g] ?? 0,
      };
    }
    case 'sum': {
      const sum: number[] = [];
      return {
        add: (g, v) => void (v !== null && (sum[g] = (sum[g] ?? 0) + (v as number))),
        result: (g) => sum[g] ?? 0,
      };
    }
    case 'mean':
    case 'std':
    case 'var': {
      // Youngs and Cramer's one-pass method, step for step as PostgreSQL's float8 aggregates
      // take it (float.c float8_accum): the in-database engine gives the same float, bit for
      // bit, when it feeds the rows in the same order. The mean is the row-order sum over n.
      const n: number[] = [];
      const sx: number[] = [];
      const sxx: number[] = [];
      return {
        add: (g, v) => {
          if (v === null) return;
          const x = v as number;
          const before = n[g] ?? 0;
          const k = (n[g] = before + 1);
          const s = (sx[g] = (sx[g] ?? 0) + x);
          if (before > 0) {
            const t = x * k - s;
            sxx[g] = (sxx[g] ?? 0) + (t * t) / (k * before);
          } else sxx[g] = Number.isFinite(x) ? 0 : NaN;
        },
        result: (g) => {
          const k = n[g] ?? 0;
          if (fn === 'mean') return k ? sx[g] / k : null;
          if (k < 2) return null;
          const variance = sxx[g] / (k - 1);
          return fn === 'var' ? variance : Math.sqrt(variance);
        },
      };
    }
    case 'median': {
      const vals: number[][] = [];
      return {
        add: (g, v) => void (v !== null && (vals[g] ??= []).push(v as number)),
        result: (g) => {
          const a = vals[g];
          if (!a || a.length === 0) return null;
          const s = Float64Array.from(a).sort();
          const mid = s.length >> 1;
          return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
        },
      };
    }
    case 'min':
    case 'max': {
      const best: Raw[] = [];
      const better =
        fn === 'min'
          ? (a: Raw, b: Raw) => (a as number) < (b as number)
          : (a: Raw, b: Raw) => (a as number) > (b as number);
      return {
        add: (g, v) => {
          if (v === null) return;
          const cur = best[g];
          if (cur === undefined || cur === null || better(v, cur)) best[g] = v;
        },
        result: (g) => best[g] ?? null,
      };
    }
    case 'first':
    case 'last': {
      const val: Raw[] = [];
      return {
        add: (g, v) => {
          if (v === null) return;
          if (fn === 'last' || val[g] === undefined) val[g] = v;
        },
        result: (g) => val[g] ?? null,
      };
    }
  }
}

export const aggregate: StepImpl<StepOf<'aggregate'>> = {
  kind: 'aggregate',
  plan(step, input) {
    const groupCols = resolveColumns(step.group_by, input, { key: 'group_by' });
    const specs = step.aggregations.map((a, k) => {
      const col =
        a.column === undefined ? -1 : resolveColumns([a.column], input, { key: 'aggregations' })[0];
      const type = col < 0 ? null : input[col].type;
      if (
        NUMERIC.includes(a.fn) &&
        type !== null &&
        !['int', 'float', 'decimal', 'boolean'].includes(type)
      )
        throw new StepConfigError(`${a.fn} needs a number column; "${a.column}" is ${type}`, [
          'aggregations',
          k,
          'fn',
        ]);
      return {
        col,
        fn: a.fn,
        name: a.as ?? (a.column ? `${a.column}_${a.fn}` : 'count'),
        type: outputType(a.fn, type),
      };
    });
    const fields: Field[] = [
      ...groupCols.map((c) => input[c]),
      ...specs.map((s) => ({ name: s.name, type: s.type })),
    ];
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name))
        throw new StepConfigError(`two output columns are called "${f.name}"; name one with as:`, [
          'aggregations',
        ]);
      seen.add(f.name);
    }
    const groupKeys = new RowKeys(groupCols.length);
    let ids = new Int32Array(0);
    let groups = 0;
    const keys: Raw[][] = groupCols.map(() => []);
    const firstLine: number[] = [];
    const accs = specs.map((s) => accumulator(s.fn));
    let rows = 0;
    return {
      fields,
      process(batch) {
        if (groupCols.length) {
          if (ids.length < batch.length) ids = new Int32Array(batch.length);
          groupKeys.ids(batch, groupCols, ids);
        }
        const cols = specs.map((s) => (s.col < 0 ? null : batch.columns[s.col]));
        for (let i = 0; i < batch.length; i++) {
          // Group ids count up in order of first appearance: a new group gets the next one.
          const g = groupCols.length ? ids[i] : 0;
          if (g === groups) {
            groups++;
            groupCols.forEach((c, j) => keys[j].push(rawValue(batch.columns[c], i)));
            firstLine.push(batch.line[i]);
          }
          for (let a = 0; a < accs.length; a++) {
            const c = cols[a];
            accs[a].add(g, c === null ? 1 : rawValue(c, i));
          }
        }
        rows += batch.length;
      },
      finish(sink) {
        const n = groups;
        const columns: Column[] = [
          ...keys.map((vals, j) => toColumn(vals, input[groupCols[j]].type)),
          ...specs.map((s, a) =>
            toColumn(
              Array.from({ length: n }, (_, g) => accs[a].result(g)),
              s.type,
            ),
          ),
        ];
        const line = Int32Array.from(firstLine);
        sink.merged(rows - n);
        if (n) emitSliced({ fields, columns, length: n, line, lineEnd: line.slice() }, sink);
      },
    };
  },
};

/** A column of a type from plain values (null for missing). */
export function toColumn(vals: Raw[], type: ColumnType): Column {
  if (type === 'string')
    return { kind: 'text', values: vals.map((v) => (v === null ? null : String(v))) };
  const c = numColumn(vals.length);
  vals.forEach((v, i) => {
    if (v !== null) {
      c.values[i] = v as number;
      c.valid[i] = 1;
    }
  });
  return c;
}
