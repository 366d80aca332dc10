/**
 * A step's preview: the data just before and just after one step of a pipeline, a page of rows
 * of each with the cells the step changed, the rows it rejected or removed with why, and its
 * counts over the whole data (every row is read; only the pages are kept).
 */
import type { Pipeline } from '../../src-shared/recipe/pipeline';
import type { StepReport } from '../../src-shared/recipe/result';
import { planPipeline, stepName, type RejectRecord } from '../engine/pipeline';
import { sideName, sidesOf } from '../engine/step';
import { rowRecord, type Batch, type Field, type Value } from '../engine/table';
import { openCsv } from '../io/csv-read';
import type { LoadedPipeline } from '../io/recipe-load';
import { inferColumns, typeBatch } from '../io/typed-read';
import { projectResources } from './resources';

export interface PreviewTask {
  projectDir: string;
  dataDir: string;
  pipelines: LoadedPipeline[];
  pipeline: Pipeline;
  /** The step to show (0-based). */
  step: number;
  offset: number;
  limit: number;
}

export interface PreviewPage {
  columns: { name: string; type: string }[];
  rows: Value[][];
  /** The source line of each row. */
  lines: number[];
}

export interface PreviewResult {
  step: { index: number; name: string; kind: string; enabled: boolean };
  before: PreviewPage & { total: number };
  after: PreviewPage & { total: number };
  /** Cells of the after page that differ from the same source row before the step: [row, column]. */
  changed: [number, string][];
  /** Rows the step rejected or removed (the first 200), with the rule and reason. */
  dropped: {
    kind: string;
    line: number;
    rule: string;
    reason: string;
    record: Record<string, Value>;
  }[];
  counts: StepReport | null;
}

/** Up to how many rows before the step are kept to find the cells it changed. */
const MATCH_WINDOW = 20_000;

class Pager {
  readonly rows: Value[][] = [];
  readonly lines: number[] = [];
  total = 0;
  constructor(
    private readonly offset: number,
    private readonly limit: number,
  ) {}
  add(b: Batch): void {
    for (let i = 0; i < b.length; i++, this.total++) {
      if (this.total < this.offset || this.total >= this.offset + this.limit) continue;
      this.rows.push(Object.values(rowRecord(b, i)));
      this.lines.push(b.line[i]);
    }
  }
}

export async function previewStep(t: PreviewTask, signal?: AbortSignal): Promise<PreviewResult> {
  const p = t.pipeline;
  if (!Number.isInteger(t.step) || t.step < 0 || t.step >= p.steps.length)
    throw new RangeError(
      `pipeline ${p.name} has ${p.steps.length} steps; there is no step ${t.step + 1}`,
    );
  const resources = projectResources(t.projectDir, t.dataDir, t.pipelines);
  const path = resources.sourcePath(p);
  const typed = p.source.pipeline ? await inferColumns(path) : null;
  const source = await openCsv(path, p.source);
  const input: Field[] = typed
    ? typed.map(({ name, type }) => ({ name, type }))
    : source.info.columns.map((name) => ({ name, type: 'string' as const }));
  const sides = new Map<string, Batch>();
  for (const ref of sidesOf(p.steps)) sides.set(sideName(ref), await resources.loadSide(ref));
  const ctx = { side: (ref: Parameters<typeof sideName>[0]) => sides.get(sideName(ref))! };

  const step = p.steps[t.step];
  const name = stepName(step, t.step);
  const before = new Pager(t.offset, t.limit);
  const after = new Pager(t.offset, t.limit);
  const window = new Map<number, Value[]>();
  const dropped: PreviewResult['dropped'] = [];
  let stepPlan: ReturnType<typeof planPipeline> | null = null;
  const prefix = planPipeline(
    p.steps.slice(0, t.step),
    input,
    {
      onOutput: (b) => {
        before.add(b);
        for (let i = 0; i < b.length && window.size < MATCH_WINDOW; i++)
          window.set(b.line[i], Object.values(rowRecord(b, i)));
        stepPlan!.push(b);
      },
    },
    ctx,
  );
  stepPlan = planPipeline(
    step.enabled === false ? [] : [{ ...step, name }],
    prefix.fields,
    {
      onOutput: (b) => after.add(b),
      onRow: (r: RejectRecord) => {
        if (dropped.length < 200)
          dropped.push({
            kind: r.kind,
            line: r.line,
            rule: r.rule,
            reason: r.reason,
            record: r.record,
          });
      },
    },
    ctx,
  );
  for await (const batch of source.batches(() => undefined)) {
    if (signal?.aborted) throw new PreviewCancelled();
    prefix.push(typed ? typeBatch(batch, typed) : batch);
  }
  prefix.finish();
  stepPlan.finish();
  const beforeCols = prefix.fields.map((f) => ({ name: f.name, type: f.type }));
  const afterCols = stepPlan.fields.map((f) => ({ name: f.name, type: f.type }));
  const changed: [number, string][] = [];
  const beforeAt = afterCols.map((c) => beforeCols.findIndex((b) => b.name === c.name));
  after.rows.forEach((row, r) => {
    const old = window.get(after.lines[r]);
    if (!old) return;
    afterCols.forEach((c, ci) => {
      const bi = beforeAt[ci];
      if (bi >= 0 && !Object.is(old[bi], row[ci]) && String(old[bi]) !== String(row[ci]))
        changed.push([r, c.name]);
    });
  });
  return {
    step: { index: t.step, name, kind: step.step, enabled: step.enabled !== false },
    before: { columns: beforeCols, rows: before.rows, lines: before.lines, total: before.total },
    after: { columns: afterCols, rows: after.rows, lines: after.lines, total: after.total },
    changed,
    dropped,
    counts: stepPlan.reports()[0] ?? null,
  };
}

export class PreviewCancelled extends Error {
  constructor() {
    super('the preview was cancelled (a newer one replaced it)');
  }
}
