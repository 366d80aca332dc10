/**
 * Runs a list of steps over a stream of batches and keeps the books: for every step,
 * rows in + rows added = rows out + rejected + removed + merged (added and merged are zero for
 * steps that do not change the shape of the data). Rows in and out are counted here, from what
 * the steps actually receive and emit, not from what they claim.
 */
import type { Step } from '../../src-shared/recipe/steps';
import type { StepReport } from '../../src-shared/recipe/result';
import { bareRecord, ownValue } from '../../src-shared/recipe/bare-record';
import { STEPS } from './steps/index';
import {
  sideName,
  StepConfigError,
  type PlanContext,
  type StepImpl,
  type StepPlan,
  type StepSink,
} from './step';

/** What the runner gives the steps of one pipeline. */
export interface PipelineContext {
  side: PlanContext['side'];
  /** Each step's notes from the last successful run of this pipeline, by step name. */
  previous?: Record<string, Record<string, unknown>>;
  /** The clock steps are timed by, in ms (default performance.now; tests pass their own). */
  now?: () => number;
  /** About how many rows the source holds (PlanContext.rowsHint). */
  rowsHint?: () => number | undefined;
}

const NO_SIDES: PipelineContext = {
  side(ref) {
    throw new StepConfigError(`${sideName(ref)} is not available here`);
  },
};
import { rowRecord, type Batch, type Field, type Value } from './table';

export interface RejectRecord {
  kind: 'rejected' | 'removed';
  step: string;
  stepIndex: number;
  rule: string;
  reason: string;
  line: number;
  lineEnd: number;
  record: Record<string, Value>;
}

export interface PipelineHooks {
  /** Every rejected or removed row, as it happens. */
  onRow?(r: RejectRecord): void;
  /** Cleaned batches leaving the last step. */
  onOutput(batch: Batch): void;
}

export class BooksError extends Error {}

/** An output (file, database) failed while taking rows; `cause` says why. */
export class OutputError extends Error {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/** Thrown by a step while processing data (as opposed to a configuration problem). */
export class StepRunError extends Error {
  constructor(
    message: string,
    readonly step: string,
  ) {
    super(message);
  }
}

/** A step's report before any row: every count 0. */
export function emptyStepReport(name: string, kind: string): StepReport {
  return {
    name,
    kind,
    rowsIn: 0,
    rowsOut: 0,
    rowsRejected: 0,
    rowsRemoved: 0,
    removedReasons: bareRecord<number>(),
    rowsMerged: 0,
    rowsAdded: 0,
    cellsChanged: 0,
    warnings: [],
    ms: 0,
  };
}

export function stepName(step: Step, index: number): string {
  return step.name ?? `${index + 1}:${step.step}`;
}

export interface PlannedPipeline {
  fields: Field[];
  push(batch: Batch): void;
  /**
   * Pushes a batch into stage `stage` (counting enabled steps from 0): the stages before it ran
   * elsewhere (a read-ahead thread), with their own books. `stage` may be the number of stages.
   */
  pushAt(stage: number, batch: Batch): void;
  finish(): void;
  reports(): StepReport[];
}

interface Stage {
  name: string;
  plan: StepPlan;
  report: StepReport;
  /**
   * Inclusive times: a stage's process and finish calls run the stages after it (and, after the
   * last, the outputs) synchronously; reports() takes that nested time out.
   */
  processMs: number;
  finishMs: number;
}

/** Plans every enabled step against the input columns; throws StepConfigError with the step. */
export function planPipeline(
  steps: Step[],
  input: Field[],
  hooks: PipelineHooks,
  ctx: PipelineContext = NO_SIDES,
  /** The step kinds to use; tests pass their own to check the bookkeeping. */
  registry: Record<string, Pick<StepImpl, 'plan'>> = STEPS as Record<
    string,
    Pick<StepImpl, 'plan'>
  >,
): PlannedPipeline {
  const stages: Stage[] = [];
  const now = ctx.now ?? (() => performance.now());
  let fields = input;
  steps.forEach((step, index) => {
    if (step.enabled === false) return;
    const impl = registry[step.step];
    const name = stepName(step, index);
    let plan: StepPlan;
    try {
      const stepCtx: PlanContext = {
        side: (ref) => ctx.side(ref),
        previousNotes: () => ownValue(ctx.previous, name),
        rowsHint: () => ctx.rowsHint?.(),
      };
      plan = (impl.plan as (s: Step, f: Field[], c: PlanContext) => StepPlan)(
        step,
        fields,
        stepCtx,
      );
    } catch (e) {
      if (e instanceof StepConfigError) {
        const err = new StepConfigError(`step ${name}: ${e.message}`, ['steps', index, ...e.path]);
        throw err;
      }
      throw e;
    }
    fields = plan.fields;
    stages.push({
      name,
      plan,
      processMs: 0,
      finishMs: 0,
      report: emptyStepReport(name, step.step),
    });
  });

  const sinks: StepSink[] = stages.map((stage, si) => {
    const r = stage.report;
    const next = (batch: Batch): void => {
      r.rowsOut += batch.length;
      if (si + 1 < stages.length) pushInto(si + 1, batch);
      else deliver(batch);
    };
    const record = (
      kind: RejectRecord['kind'],
      batch: Batch,
      row: number,
      rule: string,
      reason: string,
    ): void => {
      hooks.onRow?.({
        kind,
        step: stage.name,
        stepIndex: si,
        rule,
        reason,
        line: batch.line[row],
        lineEnd: batch.lineEnd[row],
        record: rowRecord(batch, row),
      });
    };
    return {
      emit: next,
      reject(batch, row, rule, message) {
        r.rowsRejected++;
        record('rejected', batch, row, rule, message);
      },
      remove(batch, row, reason) {
        r.rowsRemoved++;
        r.removedReasons[reason] = (ownValue(r.removedReasons, reason) ?? 0) + 1;
        record('removed', batch, row, reason, reason);
      },
      drop(rows, reason) {
        if (rows <= 0) return;
        r.rowsRemoved += rows;
        r.removedReasons[reason] = (ownValue(r.removedReasons, reason) ?? 0) + rows;
      },
      changed(cells) {
        r.cellsChanged += cells;
      },
      merged(rows) {
        r.rowsMerged += rows;
      },
      added(rows) {
        r.rowsAdded += rows;
      },
      note(key, value) {
        (r.notes ??= bareRecord())[key] = value;
      },
      warn(message) {
        if (!r.warnings.includes(message)) r.warnings.push(message);
      },
    };
  });

  /** Time spent in onOutput: the outputs' work, which is not the last step's. */
  let deliverMs = 0;

  /** Hands rows to the outputs; their failures are not a step's. */
  function deliver(batch: Batch): void {
    const t = now();
    try {
      hooks.onOutput(batch);
    } catch (e) {
      throw new OutputError(e);
    }
    deliverMs += now() - t;
  }

  function pushInto(si: number, batch: Batch): void {
    const stage = stages[si];
    stage.report.rowsIn += batch.length;
    const t = now();
    try {
      stage.plan.process(batch, sinks[si]);
    } catch (e) {
      throw wrapRunError(e, stage.name);
    }
    stage.processMs += now() - t;
  }

  return {
    fields,
    push(batch) {
      if (batch.length === 0) return;
      if (stages.length === 0) deliver(batch);
      else pushInto(0, batch);
    },
    pushAt(stage, batch) {
      if (batch.length === 0) return;
      if (stage >= stages.length) deliver(batch);
      else pushInto(stage, batch);
    },
    finish() {
      stages.forEach((stage, si) => {
        const t = now();
        try {
          stage.plan.finish?.(sinks[si]);
        } catch (e) {
          throw wrapRunError(e, stage.name);
        }
        stage.finishMs += now() - t;
        const r = stage.report;
        if (r.rowsIn + r.rowsAdded !== r.rowsOut + r.rowsRejected + r.rowsRemoved + r.rowsMerged) {
          throw new BooksError(
            `the books of step ${stage.name} do not balance: ${r.rowsIn} in + ${r.rowsAdded} added, ` +
              `${r.rowsOut} out + ${r.rowsRejected} rejected + ${r.rowsRemoved} removed + ${r.rowsMerged} merged`,
          );
        }
      });
    },
    // A step's own time: what runs after it (the next step, or for the last the outputs) ran
    // inside its calls, and is taken out.
    reports: () =>
      stages.map((s, si) => {
        const nested = si + 1 < stages.length ? stages[si + 1].processMs : deliverMs;
        return { ...s.report, ms: Math.max(0, Math.round(s.processMs + s.finishMs - nested)) };
      }),
  };
}

function wrapRunError(e: unknown, step: string): Error {
  if (e instanceof StepRunError || e instanceof BooksError || e instanceof OutputError) return e;
  return new StepRunError(`step ${step}: ${(e as Error)?.message ?? String(e)}`, step);
}
