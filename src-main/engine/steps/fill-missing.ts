/**
 * fill_missing: per column, drop the row, or fill nulls with the mean, median, mode, a constant,
 * the previous value (forward_fill) or the next one (backward_fill). Statistics are over all
 * rows, so any strategy but constant, drop and forward_fill waits for the last batch.
 */
import type { FillStrategy, StepOf } from '../../../src-shared/recipe/steps';
import { formatValue } from '../format';
import { parseBoolean, parsePlainNumber } from '../numbers';
import { compileDateFormat } from '../dates';
import {
  emitWith,
  holdBatches,
  resolveColumns,
  StepConfigError,
  type StepImpl,
  type StepSink,
} from '../step';
import { numColumn, rawValue, type Batch, type Column, type Field, type NumColumn } from '../table';

type Fill = { col: number; strategy: FillStrategy; constant?: string | number };

export const fillMissing: StepImpl<StepOf<'fill_missing'>> = {
  kind: 'fill_missing',
  plan(step, input) {
    const wanted = Object.entries(step.columns);
    const names = wanted.map(([name]) => name);
    const cols = resolveColumns(names, input);
    const fills: Fill[] = cols.map((col, k) => {
      const strategy = wanted[k][1];
      const type = input[col].type;
      if (
        (strategy === 'mean' || strategy === 'median') &&
        !['int', 'float', 'decimal'].includes(type)
      )
        throw new StepConfigError(`${strategy} needs a number column; "${names[k]}" is ${type}`, [
          'columns',
          names[k],
        ]);
      if (typeof strategy === 'object')
        return { col, strategy, constant: constantFor(type, strategy.constant, names[k]) };
      return { col, strategy };
    });
    const blocking = fills.some((f) =>
      ['mean', 'median', 'mode', 'backward_fill'].includes(f.strategy as string),
    );
    const carry = new Map<number, string | number>();

    const run = (
      batch: Batch,
      sink: StepSink,
      stats: Map<number, string | number | null>,
      nextAfter: Map<number, string | number | null>,
    ): void => {
      const dropped = new Uint8Array(batch.length);
      let anyDrop = false;
      for (const f of fills) {
        if (f.strategy !== 'drop') continue;
        const c = batch.columns[f.col];
        for (let i = 0; i < batch.length; i++) {
          if (!dropped[i] && rawValue(c, i) === null) {
            dropped[i] = 1;
            anyDrop = true;
            sink.remove(batch, i, `missing ${input[f.col].name}`);
          }
        }
      }
      const replaced = new Map<number, Column>();
      let changed = 0;
      for (const f of fills) {
        if (f.strategy === 'drop') continue;
        const c = batch.columns[f.col];
        const next =
          f.strategy === 'backward_fill'
            ? nextValues(c, batch.length, nextAfter.get(f.col) ?? null)
            : null;
        let out: Column | null = null;
        for (let i = 0; i < batch.length; i++) {
          const v = rawValue(c, i);
          if (v !== null) {
            if (f.strategy === 'forward_fill' && !dropped[i]) carry.set(f.col, v);
            continue;
          }
          if (dropped[i]) continue;
          let nv: string | number | null | undefined;
          if (typeof f.strategy === 'object') nv = f.constant;
          else if (f.strategy === 'forward_fill') nv = carry.get(f.col);
          else if (f.strategy === 'backward_fill') nv = next![i];
          else nv = stats.get(f.col);
          if (nv === null || nv === undefined) continue;
          out ??= copyColumn(c, batch.length);
          setValue(out, i, nv);
          changed++;
        }
        if (out) replaced.set(f.col, out);
      }
      sink.changed(changed);
      emitWith(batch, input, replaced, anyDrop ? dropped : null, sink);
    };

    if (!blocking)
      return { fields: input, process: (b, sink) => run(b, sink, new Map(), new Map()) };
    return holdBatches((buffered, sink) => {
      // Statistics over every held batch; then each batch goes on as it came, so no copy
      // of the whole table is made.
      const stats = new Map<number, string | number | null>();
      for (const f of fills) {
        if (f.strategy !== 'mean' && f.strategy !== 'median' && f.strategy !== 'mode') continue;
        const s = statistic(buffered, f.col, input[f.col], f.strategy);
        stats.set(f.col, s);
        const name = input[f.col].name;
        if (s === null) sink.warn(`${name}: no values to compute the ${f.strategy} from`);
        else sink.warn(`${name}: filled with ${f.strategy} ${formatValue(input[f.col].type, s)}`);
      }
      // For backward fill: the first value after each batch, found walking backwards.
      const nextAfter = buffered.map(() => new Map<number, string | number | null>());
      for (const f of fills) {
        if (f.strategy !== 'backward_fill') continue;
        let next: string | number | null = null;
        for (let b = buffered.length - 1; b >= 0; b--) {
          nextAfter[b].set(f.col, next);
          const c = buffered[b].columns[f.col];
          for (let i = buffered[b].length - 1; i >= 0; i--) {
            const v = rawValue(c, i);
            if (v !== null) {
              next = v;
              break;
            }
          }
        }
      }
      // Hand each batch on and let go of it, so memory falls as the output is written.
      for (let k = 0; buffered.length > 0; k++) run(buffered.shift()!, sink, stats, nextAfter[k]);
    }, input);
  },
};

function constantFor(
  type: Field['type'],
  v: string | number | boolean,
  name: string,
): string | number {
  if (type === 'string') return String(v);
  if (typeof v === 'number' && type !== 'date' && type !== 'datetime') return v;
  if (typeof v === 'boolean' && type === 'boolean') return v ? 1 : 0;
  const s = String(v);
  let n: number | null = null;
  if (type === 'boolean') {
    const b = parseBoolean(s);
    n = b === null ? null : +b;
  } else if (type === 'date') {
    const ms = compileDateFormat('yyyy-MM-dd').parse(s);
    n = ms === null ? null : ms / 86_400_000;
  } else if (type === 'datetime') n = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss").parse(s);
  else n = parsePlainNumber(s);
  if (n === null)
    throw new StepConfigError(
      `constant ${JSON.stringify(v)} does not fit column "${name}" (${type})`,
      ['columns', name],
    );
  return n;
}

function copyColumn(c: Column, n: number): Column {
  if (c.kind === 'text') return { kind: 'text', values: c.values.slice(0, n) };
  const out = numColumn(n);
  out.values.set(c.values.subarray(0, n));
  out.valid.set(c.valid.subarray(0, n));
  return out;
}

function setValue(c: Column, i: number, v: string | number): void {
  if (c.kind === 'text') c.values[i] = String(v);
  else {
    c.values[i] = v as number;
    c.valid[i] = 1;
  }
}

function nextValues(
  c: Column,
  n: number,
  after: string | number | null,
): (string | number | null)[] {
  const out = new Array<string | number | null>(n);
  let next: string | number | null = after;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = next;
    const v = rawValue(c, i);
    if (v !== null) next = v;
  }
  return out;
}

function statistic(
  batches: Batch[],
  col: number,
  field: Field,
  strategy: FillStrategy,
): string | number | null {
  if (strategy === 'mode') {
    const counts = new Map<string | number, number>();
    let best: string | number | null = null;
    let bestN = 0;
    for (const b of batches) {
      const c = b.columns[col];
      for (let i = 0; i < b.length; i++) {
        const v = rawValue(c, i);
        if (v === null) continue;
        const n = (counts.get(v) ?? 0) + 1;
        counts.set(v, n);
        // Ties go to the value seen first, so the result does not depend on hashing.
        if (n > bestN) {
          best = v;
          bestN = n;
        }
      }
    }
    return best;
  }
  let count = 0;
  for (const b of batches) {
    const c = b.columns[col];
    if (c.kind !== 'num') return null;
    for (let i = 0; i < b.length; i++) count += c.valid[i];
  }
  if (count === 0) return null;
  let result: number;
  if (strategy === 'mean') {
    // A plain sum in row order over the count, as the in-database engine's ordered avg().
    let sum = 0;
    for (const b of batches) {
      const c = b.columns[col] as NumColumn;
      for (let i = 0; i < b.length; i++) if (c.valid[i]) sum += c.values[i];
    }
    result = sum / count;
  } else {
    const sorted = new Float64Array(count);
    let k = 0;
    for (const b of batches) {
      const c = b.columns[col] as NumColumn;
      for (let i = 0; i < b.length; i++) if (c.valid[i]) sorted[k++] = c.values[i];
    }
    sorted.sort();
    const mid = count >> 1;
    result = count % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  return field.type === 'int' ? Math.round(result) : result;
}
