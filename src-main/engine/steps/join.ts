/**
 * join: combines each row with the matching rows of another table (a pipeline's output or a
 * CSV file) on one or more key columns: inner, left, right, full, semi or anti. Null keys match
 * nothing, as in SQL. The report gives matched, unmatched-left and unmatched-right counts and
 * the rows a fan-out added; `forbid_fan_out` stops the run at the first key that matches more
 * than one row on the other side.
 *
 * The books: a left row with k matches passes once and adds k - 1 rows; a left row an inner,
 * right or semi join drops is removed with a reason; right-only rows (right, full) are added.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { formatValue } from '../format';
import { emitSliced, sideName, StepConfigError, type StepImpl } from '../step';
import {
  numColumn,
  rawValue,
  take,
  takeOrNull,
  type Batch,
  type Column,
  type Field,
} from '../table';
import { parsePlainNumber } from '../numbers';

type Key = number | string;

export const join: StepImpl<StepOf<'join'>> = {
  kind: 'join',
  plan(step, input, ctx) {
    const right = ctx.side(step.with);
    const label = sideName(step.with);
    const pairs = step.on.map((o, k) => {
      const l = typeof o === 'string' ? o : o.left;
      const r = typeof o === 'string' ? o : o.right;
      const li = input.findIndex((f) => f.name === l);
      const ri = right.fields.findIndex((f) => f.name === r);
      if (li < 0)
        throw new StepConfigError(
          `unknown column "${l}" on the left (${input.map((f) => f.name).join(', ')})`,
          ['on', k],
        );
      if (ri < 0)
        throw new StepConfigError(
          `unknown column "${r}" in ${label} (${right.fields.map((f) => f.name).join(', ')})`,
          ['on', k],
        );
      // Numbers meet numbers as numbers; anything else meets as canonical text.
      const numeric = input[li].type !== 'string' && right.fields[ri].type !== 'string';
      return { li, ri, numeric };
    });
    const keyOf =
      (b: Batch, cols: number[], types: Field[]) =>
      (i: number): Key | null => {
        let key = '';
        for (let k = 0; k < pairs.length; k++) {
          const v = rawValue(b.columns[cols[k]], i);
          if (v === null) return null;
          const part =
            pairs[k].numeric || typeof v === 'string' ? v : formatValue(types[cols[k]].type, v);
          if (pairs.length === 1) return part;
          key += (k ? '\u0001' : '') + (typeof part === 'number' ? 'n' + part : part);
        }
        return key;
      };
    // Index the right side.
    const rightKey = keyOf(
      right,
      pairs.map((p) => p.ri),
      right.fields,
    );
    const index = new Map<Key, number[]>();
    let duplicateKeys = 0;
    for (let j = 0; j < right.length; j++) {
      const k = rightKey(j);
      if (k === null) continue;
      const list = index.get(k);
      if (list) {
        if (list.length === 1) duplicateKeys++;
        list.push(j);
      } else index.set(k, [j]);
    }
    const keepRight = step.how !== 'semi' && step.how !== 'anti';
    const rightKeyCols = new Set(pairs.map((p) => p.ri));
    const rightCols = keepRight
      ? right.fields.flatMap((_, j) => (rightKeyCols.has(j) ? [] : [j]))
      : [];
    const leftNames = new Set(input.map((f) => f.name));
    const fields: Field[] = [
      ...input,
      ...rightCols.map((j) => {
        const f = right.fields[j];
        const name = leftNames.has(f.name) ? f.name + step.suffix : f.name;
        if (leftNames.has(name))
          throw new StepConfigError(`column "${name}" exists on both sides, even with the suffix`, [
            'suffix',
          ]);
        return { name, type: f.type };
      }),
    ];
    const rightOnly = right.fields.length
      ? { ...right, columns: rightCols.map((j) => right.columns[j]) }
      : right;
    const matchedRight = new Uint8Array(right.length);
    let matched = 0;
    let unmatchedLeft = 0;
    let fanOutRows = 0;
    const noMatch = `no match in ${label}`;

    return {
      fields,
      process(batch, sink) {
        const key = keyOf(
          batch,
          pairs.map((p) => p.li),
          input,
        );
        const li: number[] = [];
        const ri: number[] = [];
        const pair = (i: number, j: number): void => {
          li.push(i);
          ri.push(j);
        };
        for (let i = 0; i < batch.length; i++) {
          const k = key(i);
          const hits = k === null ? undefined : index.get(k);
          if (hits) {
            matched++;
            for (const j of hits) matchedRight[j] = 1;
            if (step.how === 'anti') sink.remove(batch, i, `has a match in ${label}`);
            else if (step.how === 'semi') pair(i, -1);
            else {
              if (hits.length > 1) {
                if (step.forbid_fan_out)
                  throw new Error(
                    `the key on line ${batch.line[i]} matches ${hits.length} rows in ${label}, and fan-out is forbidden`,
                  );
                fanOutRows += hits.length - 1;
                sink.added(hits.length - 1);
              }
              for (const j of hits) pair(i, j);
            }
          } else {
            unmatchedLeft++;
            if (step.how === 'left' || step.how === 'full' || step.how === 'anti') pair(i, -1);
            else sink.remove(batch, i, noMatch);
          }
        }
        if (li.length === 0) return;
        const left = take(batch, li);
        const columns: Column[] = keepRight
          ? [...left.columns, ...takeOrNull(rightOnly, ri)]
          : left.columns;
        sink.emit({ ...left, fields, columns });
      },
      finish(sink) {
        let unmatchedRight = 0;
        for (let j = 0; j < right.length; j++) if (!matchedRight[j]) unmatchedRight++;
        sink.note('matched_left', matched);
        sink.note('unmatched_left', unmatchedLeft);
        sink.note('unmatched_right', unmatchedRight);
        sink.note('fan_out_rows', fanOutRows);
        sink.note('right_duplicate_keys', duplicateKeys);
        if (duplicateKeys) sink.warn(`${duplicateKeys} keys appear more than once in ${label}`);
        if (step.how !== 'right' && step.how !== 'full') return;
        const only: number[] = [];
        for (let j = 0; j < right.length; j++) if (!matchedRight[j]) only.push(j);
        if (only.length === 0) return;
        // Right-only rows: left columns null, except the keys, which come from the right.
        const leftCols = input.map((f, c) => {
          const pair = pairs.find((p) => p.li === c);
          if (!pair) return nullColumn(f.type, only.length);
          const src = take(right, only).columns[pair.ri];
          return f.type === right.fields[pair.ri].type
            ? src
            : convertKey(src, right.fields[pair.ri].type, f.type);
        });
        const rightPart = take(rightOnly, only);
        sink.added(only.length);
        const line = new Int32Array(only.length);
        emitSliced(
          {
            fields,
            columns: [...leftCols, ...rightPart.columns],
            length: only.length,
            line,
            lineEnd: line,
          },
          sink,
        );
      },
    };
  },
};

/** A right-side key column under the left column's type (text <-> numbers). */
function convertKey(src: Column, from: Field['type'], to: Field['type']): Column {
  const n = src.values.length;
  if (to === 'string') {
    return {
      kind: 'text',
      values: Array.from({ length: n }, (_, i) => {
        const v = rawValue(src, i);
        return v === null ? null : typeof v === 'string' ? v : formatValue(from, v);
      }),
    };
  }
  if (src.kind === 'num') return src;
  const out = numColumn(n);
  for (let i = 0; i < n; i++) {
    const v = src.values[i] === null ? null : parsePlainNumber(src.values[i]!);
    if (v !== null) {
      out.values[i] = v;
      out.valid[i] = 1;
    }
  }
  return out;
}

function nullColumn(type: Field['type'], n: number): Column {
  return type === 'string'
    ? { kind: 'text', values: new Array<string | null>(n).fill(null) }
    : numColumn(n);
}
