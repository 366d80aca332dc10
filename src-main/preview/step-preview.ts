/**
 * A step's preview: the data just before and just after one step of a pipeline over every row,
 * spilled to a folder so any page of either side can be read back while the user scrolls
 * (pages.ts), with the rows the step rejected or removed and why, and its counts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import type { StepReport } from '../../src-shared/recipe/result';
import type { ColumnType } from '../../src-shared/recipe/steps';
import { planPipeline, stepName, type RejectRecord } from '../engine/pipeline';
import { sideName, sidesOf } from '../engine/step';
import { type Batch, type Column as DataColumn, type Field, type Value } from '../engine/table';
import { formatIsoDate, formatIsoDateTime } from '../engine/dates';
import { openCsv } from '../io/csv-read';
import type { LoadedPipeline } from '../io/recipe-load';
import { SpillWriter, writeInts } from '../io/row-spill';
import { inferColumns, typeBatch } from '../io/typed-read';
import type { PathPolicy } from '../io/confine';
import { projectResources } from '../orchestrator/resources';

export interface PreviewTask {
  /** Where the recipe may read. */
  paths: PathPolicy;
  pipelines: LoadedPipeline[];
  pipeline: Pipeline;
  /** The step to show (0-based). */
  step: number;
  /** An empty folder the preview is spilled to. */
  dir: string;
}

export type PreviewSide = 'before' | 'after' | 'dropped';

export interface Column {
  name: string;
  type: string;
}

/** What a computed preview holds; the rows themselves are in its folder. */
export interface PreviewMeta {
  step: { index: number; name: string; kind: string; enabled: boolean };
  before: { columns: Column[]; total: number };
  after: { columns: Column[]; total: number };
  /** Rows the step rejected or removed: what, rule and reason, then the row's values. */
  dropped: { columns: Column[]; total: number };
  counts: StepReport | null;
  /** Columns of the after side in which the step changed any cell, over every row (changes.ts). */
  changed_columns?: string[];
}

export const DROPPED_HEAD: Column[] = [
  { name: 'what', type: 'string' },
  { name: 'rule', type: 'string' },
  { name: 'reason', type: 'string' },
];

/** The files of a preview folder. */
export const spillFile = (dir: string, side: PreviewSide): string => join(dir, `${side}.jsonl`);
/** For each row of one side, the row of the other side from the same source line, or -1. */
export const matchFile = (dir: string, side: 'before' | 'after'): string =>
  join(dir, `${side}.match`);
/** For each before row, the dropped row from the same source line (the step dropped it), or -1. */
export const droppedMatchFile = (dir: string): string => join(dir, 'before.dropped');
/** The rows of one side the step changed a cell of, ascending (changes.ts). */
export const changedRowsFile = (dir: string, side: 'before' | 'after'): string =>
  join(dir, `${side}.changed`);

/** A growing list of source line numbers. */
class Lines {
  a = new Float64Array(4096);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const g = new Float64Array(this.a.length * 2);
      g.set(this.a);
      this.a = g;
    }
    this.a[this.n++] = v;
  }
}

/**
 * For each line of `from`, the first row of `to` with the same line, or -1. Steps mostly keep
 * rows in source order, so a binary search does; otherwise a map.
 */
function matchLines(from: Lines, to: Lines): Int32Array {
  const out = new Int32Array(from.n).fill(-1);
  let ascending = true;
  for (let i = 1; i < to.n && ascending; i++) ascending = to.a[i - 1] <= to.a[i];
  if (ascending) {
    for (let i = 0; i < from.n; i++) {
      const v = from.a[i];
      let lo = 0;
      let hi = to.n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (to.a[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      if (lo < to.n && to.a[lo] === v) out[i] = lo;
    }
    return out;
  }
  const first = new Map<number, number>();
  for (let i = to.n - 1; i >= 0; i--) first.set(to.a[i], i);
  for (let i = 0; i < from.n; i++) out[i] = first.get(from.a[i]) ?? -1;
  return out;
}

/** One column's values as rowRecord gives them (dates as ISO 8601 text), for a spill. */
function columnValues(col: DataColumn, type: ColumnType, n: number): Value[] {
  if (col.kind === 'text') return col.values.length === n ? col.values : col.values.slice(0, n);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    const v = col.values[i];
    out[i] = !col.valid[i]
      ? null
      : type === 'boolean'
        ? v !== 0
        : type === 'date'
          ? formatIsoDate(v)
          : type === 'datetime'
            ? formatIsoDateTime(v)
            : Number.isFinite(v)
              ? v
              : null;
  }
  return out;
}

/** How often (in source rows) a preview says how far it has read. */
const PROGRESS_EVERY = 100_000;

/**
 * Computes a step's preview over every row into `t.dir`; `signal` stops it between batches and
 * `onRows` hears how many source rows have been read, every so often.
 */
export async function previewStep(
  t: PreviewTask,
  signal?: AbortSignal,
  onRows?: (rows: number) => void,
): Promise<PreviewMeta> {
  const p = t.pipeline;
  if (!Number.isInteger(t.step) || t.step < 0 || t.step >= p.steps.length)
    throw new RangeError(
      `pipeline ${p.name} has ${p.steps.length} steps; there is no step ${t.step + 1}`,
    );
  const resources = projectResources(t.paths, t.pipelines);
  const path = resources.sourcePath(p);
  const typed = p.source.pipeline ? await inferColumns(path) : null;
  const source = await openCsv(path, p.source);
  const input: Field[] = typed
    ? typed.map(({ name, type }) => ({ name, type }))
    : source.info.columns.map((name) => ({ name, type: 'string' as const }));
  const sides = new Map<string, Batch>();
  for (const ref of sidesOf(p.steps)) sides.set(sideName(ref), await resources.loadSide(ref));
  const ctx = { side: (ref: Parameters<typeof sideName>[0]) => sides.get(sideName(ref))! };

  mkdirSync(t.dir, { recursive: true });
  const step = p.steps[t.step];
  const name = stepName(step, t.step);
  const before = new SpillWriter(spillFile(t.dir, 'before'));
  const after = new SpillWriter(spillFile(t.dir, 'after'));
  const dropped = new SpillWriter(spillFile(t.dir, 'dropped'));
  const beforeLines = new Lines();
  const afterLines = new Lines();
  const droppedLines = new Lines();
  const spill = (w: SpillWriter, lines: Lines, b: Batch): void => {
    const n = b.length;
    w.addColumns([
      Array.from(b.line.subarray(0, n)),
      ...b.fields.map((f, ci) => columnValues(b.columns[ci], f.type, n)),
    ]);
    for (let i = 0; i < n; i++) lines.push(b.line[i]);
  };
  try {
    let stepPlan: ReturnType<typeof planPipeline> | null = null;
    const prefix = planPipeline(
      p.steps.slice(0, t.step),
      input,
      {
        onOutput: (b) => {
          spill(before, beforeLines, b);
          stepPlan!.push(b);
        },
      },
      ctx,
    );
    const beforeCols = prefix.fields.map((f) => ({ name: f.name, type: f.type }));
    stepPlan = planPipeline(
      step.enabled === false ? [] : [{ ...step, name }],
      prefix.fields,
      {
        onOutput: (b) => spill(after, afterLines, b),
        onRow: (r: RejectRecord) => {
          droppedLines.push(r.line);
          dropped.addRow([
            r.line,
            r.kind,
            r.rule,
            r.reason,
            ...beforeCols.map((c) => r.record[c.name] ?? null),
          ]);
        },
      },
      ctx,
    );
    let read = 0;
    let told = 0;
    for await (const batch of source.batches(() => undefined)) {
      if (signal?.aborted) throw new PreviewCancelled();
      prefix.push(typed ? typeBatch(batch, typed) : batch);
      read += batch.length;
      if (read - told >= PROGRESS_EVERY) onRows?.((told = read));
    }
    prefix.finish();
    stepPlan.finish();
    for (const w of [before, after, dropped]) w.finish();
    writeInts(matchFile(t.dir, 'after'), matchLines(afterLines, beforeLines));
    writeInts(matchFile(t.dir, 'before'), matchLines(beforeLines, afterLines));
    writeInts(droppedMatchFile(t.dir), matchLines(beforeLines, droppedLines));
    return {
      step: { index: t.step, name, kind: step.step, enabled: step.enabled !== false },
      before: { columns: beforeCols, total: before.rows },
      after: {
        columns: stepPlan.fields.map((f) => ({ name: f.name, type: f.type })),
        total: after.rows,
      },
      dropped: { columns: [...DROPPED_HEAD, ...beforeCols], total: dropped.rows },
      counts: stepPlan.reports()[0] ?? null,
    };
  } catch (e) {
    for (const w of [before, after, dropped]) w.abandon();
    throw e;
  }
}

export class PreviewCancelled extends Error {
  constructor() {
    super('the preview was cancelled (a newer one replaced it)');
  }
}
