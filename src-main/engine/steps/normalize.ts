/**
 * normalize: z-score (mean and sample standard deviation, as pandas), min-max to a range, or
 * robust (median and interquartile range), into a new column with a suffix or in place. The
 * figures used are recorded in the run's report; `stats: from_run` reuses the ones the last
 * successful run recorded, or they can be given. A column with no spread is left as it is,
 * with a warning.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { bareRecord, ownValue } from '../../../src-shared/recipe/bare-record';
import { resolveColumns, StepConfigError, type StepImpl } from '../step';
import { HeldRows, numColumn, type Batch, type Column, type Field, type NumColumn } from '../table';

interface Stats {
  center: number;
  scale: number;
}

function quantile(sorted: Float64Array, q: number): number {
  // Linear interpolation between closest ranks, as pandas' default.
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function compute(method: string, values: Float64Array): Stats | null {
  const n = values.length;
  if (n === 0) return null;
  if (method === 'zscore') {
    if (n < 2) return null;
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const d = values[i] - mean;
      mean += d / (i + 1);
      m2 += d * (values[i] - mean);
    }
    return { center: mean, scale: Math.sqrt(m2 / (n - 1)) };
  }
  const sorted = values.slice().sort();
  if (method === 'minmax') return { center: sorted[0], scale: sorted[n - 1] - sorted[0] };
  return { center: quantile(sorted, 0.5), scale: quantile(sorted, 0.75) - quantile(sorted, 0.25) };
}

export const normalize: StepImpl<StepOf<'normalize'>> = {
  kind: 'normalize',
  plan(step, input, ctx) {
    const cols = resolveColumns(step.columns, input);
    cols.forEach((c, k) => {
      if (!['int', 'float', 'decimal'].includes(input[c].type))
        throw new StepConfigError(
          `"${input[c].name}" is ${input[c].type}; normalize needs numbers`,
          ['columns', k],
        );
    });
    const suffix = step.suffix ?? `_${step.method}`;
    const targets = cols.map((c) => (step.in_place ? c : -1));
    const fields: Field[] = input.map((f, i) =>
      step.in_place && cols.includes(i) ? { name: f.name, type: 'float' } : f,
    );
    if (!step.in_place) {
      for (const c of cols) {
        const name = input[c].name + suffix;
        if (fields.some((f) => f.name === name))
          throw new StepConfigError(`column "${name}" exists already`, ['suffix']);
        targets[cols.indexOf(c)] = fields.length;
        fields.push({ name, type: 'float' });
      }
    }
    let given: Record<string, Stats> | null = null;
    if (typeof step.stats === 'object') given = step.stats;
    else if (step.stats === 'from_run') {
      const previous = ctx.previousNotes?.()?.stats as Record<string, Stats> | undefined;
      if (!previous)
        throw new StepConfigError(
          'stats: from_run, but no earlier successful run of this pipeline recorded any',
          ['stats'],
        );
      given = previous;
    }
    for (const c of cols)
      if (given && !ownValue(given, input[c].name))
        throw new StepConfigError(`no statistics for "${input[c].name}"`, ['stats']);
    const [lo, hi] = step.range;
    const holder = new HeldRows();

    const apply = (batch: Batch, stats: Map<number, Stats | null>): Batch => {
      const columns: Column[] = batch.columns.slice();
      cols.forEach((c, k) => {
        const src = batch.columns[c] as NumColumn;
        const s = stats.get(c);
        const out = numColumn(batch.length);
        for (let i = 0; i < batch.length; i++) {
          if (!src.valid[i]) continue;
          const x = src.values[i];
          out.values[i] =
            !s || s.scale === 0
              ? x
              : step.method === 'minmax'
                ? ((x - s.center) / s.scale) * (hi - lo) + lo
                : (x - s.center) / s.scale;
          out.valid[i] = 1;
        }
        columns[targets[k]] = out;
      });
      return { ...batch, fields, columns };
    };
    const report = (
      sink: Parameters<NonNullable<ReturnType<typeof normalize.plan>['finish']>>[0],
      stats: Map<number, Stats | null>,
    ): void => {
      const record = bareRecord<Stats>();
      for (const c of cols) {
        const s = stats.get(c);
        if (!s || s.scale === 0) sink.warn(`${input[c].name} has no spread; left as it is`);
        if (s) record[input[c].name] = s;
      }
      sink.note('stats', record);
    };

    if (given) {
      const stats = new Map(cols.map((c) => [c, ownValue(given!, input[c].name)!] as const));
      let reported = false;
      return {
        fields,
        process(batch, sink) {
          if (!reported) report(sink, stats);
          reported = true;
          sink.emit(apply(batch, stats));
        },
      };
    }
    return {
      fields,
      process(batch) {
        holder.add(batch);
      },
      finish(sink) {
        const held = holder.takeBatches();
        const stats = new Map<number, Stats | null>();
        for (const c of cols) {
          const count = held.reduce<number>(
            (s, b) => s + (b.columns[c] as NumColumn).valid.reduce((a, v) => a + v, 0),
            0,
          );
          const values = new Float64Array(count);
          let o = 0;
          for (const b of held) {
            const col = b.columns[c] as NumColumn;
            for (let i = 0; i < b.length; i++) if (col.valid[i]) values[o++] = col.values[i];
          }
          stats.set(c, compute(step.method, values));
        }
        report(sink, stats);
        while (held.length) sink.emit(apply(held.shift()!, stats));
      },
    };
  },
};
