/**
 * fill_missing: per column, drop the row, or fill nulls with the mean, median, mode, a constant,
 * the previous value (forward_fill) or the next one (backward_fill). Statistics are over all
 * rows, so any strategy but constant, drop and forward_fill waits for the last batch.
 */
import type { FillStrategy, StepOf } from '../../../src-shared/recipe/steps';
import { formatValue } from '../format';
import { parseBoolean, parsePlainNumber } from '../numbers';
import { compileDateFormat } from '../dates';
import { resolveColumns, StepConfigError, emitWith, type StepImpl, type StepSink } from '../step';
import { concat, numColumn, rawValue, type Batch, type Column, type Field } from '../table';

type Fill = { col: number; strategy: FillStrategy; constant?: string | number };

export const fillMissing: StepImpl<StepOf<'fill_missing'>> = {
  kind: 'fill_missing',
  plan(step, input) {
    const names = Object.keys(step.columns);
    const cols = resolveColumns(names, input);
    const fills: Fill[] = cols.map((col, k) => {
      const strategy = step.columns[names[k]];
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
        const next = f.strategy === 'backward_fill' ? nextValues(c, batch.length) : null;
        const out = copyColumn(c, batch.length);
        for (let i = 0; i < batch.length; i++) {
          if (rawValue(c, i) !== null) {
            if (f.strategy === 'forward_fill' && !dropped[i]) carry.set(f.col, rawValue(c, i)!);
            continue;
          }
          if (dropped[i]) continue;
          let v: string | number | null | undefined;
          if (typeof f.strategy === 'object') v = f.constant;
          else if (f.strategy === 'forward_fill') v = carry.get(f.col);
          else if (f.strategy === 'backward_fill') v = next![i];
          else v = stats.get(f.col);
          if (v === null || v === undefined) continue;
          setValue(out, i, v);
          changed++;
        }
        replaced.set(f.col, out);
      }
      sink.changed(changed);
      emitWith(batch, input, replaced, anyDrop ? dropped : null, sink);
    };

    if (!blocking) return { fields: input, process: (b, sink) => run(b, sink, new Map()) };
    const buffered: Batch[] = [];
    return {
      fields: input,
      process(batch) {
        buffered.push(batch);
      },
      finish(sink) {
        if (buffered.length === 0) return;
        const all = concat(buffered, input);
        buffered.length = 0;
        const stats = new Map<number, string | number | null>();
        for (const f of fills) {
          const s = statistic(all, f.col, input[f.col], f.strategy);
          stats.set(f.col, s);
          if (f.strategy === 'mean' || f.strategy === 'median' || f.strategy === 'mode') {
            if (s === null)
              sink.warn(`${input[f.col].name}: no values to compute the ${f.strategy} from`);
            else
              sink.warn(
                `${input[f.col].name}: filled with ${f.strategy} ${formatValue(input[f.col].type, s)}`,
              );
          }
        }
        run(all, sink, stats);
      },
    };
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

function nextValues(c: Column, n: number): (string | number | null)[] {
  const out = new Array<string | number | null>(n);
  let next: string | number | null = null;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = next;
    const v = rawValue(c, i);
    if (v !== null) next = v;
  }
  return out;
}

function statistic(
  all: Batch,
  col: number,
  field: Field,
  strategy: FillStrategy,
): string | number | null {
  const c = all.columns[col];
  if (strategy === 'mode') {
    const counts = new Map<string | number, number>();
    let best: string | number | null = null;
    let bestN = 0;
    for (let i = 0; i < all.length; i++) {
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
    return best;
  }
  if (c.kind !== 'num') return null;
  const vals: number[] = [];
  for (let i = 0; i < all.length; i++) if (c.valid[i]) vals.push(c.values[i]);
  if (vals.length === 0) return null;
  let result: number;
  if (strategy === 'mean') {
    // Kahan summation keeps the mean independent of row order in practice.
    let sum = 0,
      comp = 0;
    for (const v of vals) {
      const y = v - comp;
      const t = sum + y;
      comp = t - sum - y;
      sum = t;
    }
    result = sum / vals.length;
  } else {
    const sorted = Float64Array.from(vals).sort();
    const mid = sorted.length >> 1;
    result = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  return field.type === 'int' ? Math.round(result) : result;
}
