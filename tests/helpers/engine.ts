/** Runs steps over small in-memory tables, the way the engine runs them over files. */
import { Step } from '../../src-shared/recipe/steps';
import { planPipeline, type RejectRecord } from '../../src-main/engine/pipeline';
import { batchFromRows, concat, type Batch } from '../../src-main/engine/table';
import { formatValue } from '../../src-main/engine/format';
import type { StepReport } from '../../src-shared/recipe/result';

export interface StepRun {
  columns: string[];
  types: string[];
  /** Output rows as display text (null stays null). */
  rows: (string | null)[][];
  rejects: RejectRecord[];
  removed: RejectRecord[];
  reports: StepReport[];
}

/** Parses raw step objects with the real schema, then runs them in batches of `batchSize`. */
export function runSteps(
  rawSteps: unknown[],
  names: string[],
  rows: (string | null)[][],
  batchSize = 2,
  sides: Record<string, Batch> = {},
): StepRun {
  const steps = rawSteps.map((s) => Step.parse(s));
  const out: Batch[] = [];
  const rejects: RejectRecord[] = [];
  const removed: RejectRecord[] = [];
  const input = batchFromRows(names, rows);
  const planned = planPipeline(
    steps,
    input.fields,
    {
      onOutput: (b) => out.push(b),
      onRow: (r) => (r.kind === 'rejected' ? rejects : removed).push(r),
    },
    {
      side: (ref) => {
        const b = sides['pipeline' in ref ? ref.pipeline : ref.csv];
        if (!b) throw new Error('no such side in this test');
        return b;
      },
    },
  );
  for (let i = 0; i < rows.length; i += batchSize) {
    planned.push(batchFromRows(names, rows.slice(i, i + batchSize), 2 + i));
  }
  planned.finish();
  const all = concat(out, planned.fields);
  const display: (string | null)[][] = [];
  for (let i = 0; i < all.length; i++) {
    display.push(
      all.columns.map((c, ci) => {
        if (c.kind === 'text') return c.values[i];
        return c.valid[i] ? formatValue(planned.fields[ci].type, c.values[i]) : null;
      }),
    );
  }
  return {
    columns: planned.fields.map((f) => f.name),
    types: planned.fields.map((f) => f.type),
    rows: display,
    rejects,
    removed,
    reports: planned.reports(),
  };
}
