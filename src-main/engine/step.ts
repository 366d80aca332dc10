/** The contract between the executor and each step kind (one file per kind under steps/). */
import type { Step } from '../../src-shared/recipe/steps';
import type { Batch, Column, Field, TextColumn } from './table';
import { concat, HeldRows, sliceRows, take } from './table';
import { compileUserRegex, UserRegexError, type UserRegex } from './user-regex';

/** Where a step sends what it did. The executor counts everything that passes through here. */
export interface StepSink {
  emit(batch: Batch): void;
  reject(batch: Batch, row: number, rule: string, message: string): void;
  remove(batch: Batch, row: number, reason: string): void;
  /** Counts rows removed in bulk (beyond a limit, not sampled) without keeping each one. */
  drop(rows: number, reason: string): void;
  changed(cells: number): void;
  /** Rows folded into other output rows, such as the members of a group. */
  merged(rows: number): void;
  /** Output rows that no input row passed into, such as the extra rows of a join fan-out. */
  added(rows: number): void;
  /** Figures a step wants in its report (join match counts, statistics used...). */
  note(key: string, value: unknown): void;
  warn(message: string): void;
}

export interface StepPlan {
  /** Columns after this step. */
  fields: Field[];
  /** Called once per input batch, in order. Must not mutate the input. */
  process(batch: Batch, sink: StepSink): void;
  /** Called after the last batch; steps that need every row emit here. */
  finish?(sink: StepSink): void;
}

/** Another table a step reads whole: a pipeline's output or a CSV file. */
export type SideRef = { pipeline: string } | { csv: string };

export interface PlanContext {
  /** The rows of another table, loaded by the runner before planning; throws when unknown. */
  side(ref: SideRef): Batch;
  /** What this step noted in the last successful run of its pipeline, if any. */
  previousNotes?(): Record<string, unknown> | undefined;
  /**
   * About how many rows the source holds, when the runner can tell (an estimate, to size
   * tables by; asked when the rows start coming).
   */
  rowsHint?(): number | undefined;
}

export interface StepImpl<S extends Step = Step> {
  kind: S['step'];
  /** Checks the step against its input columns and prepares it; throws StepConfigError. */
  plan(step: S, input: Field[], ctx: PlanContext): StepPlan;
}

/** The other tables steps will ask for, so that the runner can load them first. */
export function sidesOf(steps: Step[]): SideRef[] {
  return steps.flatMap((s) =>
    (s.step === 'join' || s.step === 'union') && s.enabled !== false ? [s.with] : [],
  );
}

export function sideName(ref: SideRef): string {
  return 'pipeline' in ref ? `pipeline ${ref.pipeline}` : ref.csv;
}

/** A step that cannot run on these columns (unknown column, wrong type, bad pattern...). */
export class StepConfigError extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[] = [],
  ) {
    super(message);
  }
}

/** Resolves a column list; `all` means every text column. Unknown names throw. */
export function resolveColumns(
  spec: 'all' | string[],
  fields: Field[],
  opts: { textOnly?: boolean; key?: string } = {},
): number[] {
  if (spec === 'all') {
    return fields.flatMap((f, i) => (f.type === 'string' ? [i] : []));
  }
  return spec.map((name, k) => {
    const i = fields.findIndex((f) => f.name === name);
    if (i < 0) {
      throw new StepConfigError(
        `unknown column "${name}"; the columns here are: ${fields.map((f) => f.name).join(', ')}`,
        [opts.key ?? 'columns', k],
      );
    }
    if (opts.textOnly && fields[i].type !== 'string') {
      throw new StepConfigError(`column "${name}" is ${fields[i].type}, this step works on text`, [
        opts.key ?? 'columns',
        k,
      ]);
    }
    return i;
  });
}

/**
 * Emits `batch` with some columns replaced, dropping the rows whose `rejected` flag is set
 * (they were already reported to the sink).
 */
export function emitWith(
  batch: Batch,
  fields: Field[],
  replaced: Map<number, Column>,
  rejected: Uint8Array | null,
  sink: StepSink,
): void {
  const columns = batch.columns.map((c, i) => replaced.get(i) ?? c);
  let out: Batch = { ...batch, fields, columns };
  if (rejected) {
    const idx: number[] = [];
    for (let i = 0; i < batch.length; i++) if (!rejected[i]) idx.push(i);
    if (idx.length !== batch.length) out = take(out, idx);
  }
  if (out.length > 0) sink.emit(out);
}

/** Rows per batch when a step emits rows it had to hold (keeps downstream work in pieces). */
export const EMIT_ROWS = 16384;

/** Emits a large batch in pieces of EMIT_ROWS rows. */
export function emitSliced(batch: Batch, sink: StepSink): void {
  for (let start = 0; start < batch.length; start += EMIT_ROWS) {
    sink.emit(sliceRows(batch, start, Math.min(batch.length, start + EMIT_ROWS)));
  }
}

/** Compiles a user regular expression (RE2, linear time) with a clear error. */
export function compileRegex(pattern: string, where: (string | number)[]): UserRegex {
  try {
    return compileUserRegex(pattern);
  } catch (e) {
    if (e instanceof UserRegexError)
      throw new StepConfigError(`invalid regular expression ${e.message}`, where);
    throw e;
  }
}

/**
 * Plans a step that rewrites text cells one by one (case, replace): `fn` returns the new value
 * of a cell; cells whose value changes are counted.
 */
export function textMapPlan(
  input: Field[],
  cols: number[],
  fn: (value: string) => string | null,
): StepPlan {
  return textColumnsPlan(input, cols, ({ values }, n, changes) => {
    // Allocate only once a cell actually changes: most columns pass through untouched.
    let out: (string | null)[] | null = null;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null) continue;
      const nv = fn(v);
      if (nv !== v) {
        if (out === null) out = values.slice(0, n);
        out[i] = nv;
        changes.cells++;
      }
    }
    return out && { kind: 'text', values: out };
  });
}

/** The count a column rewrite adds its changed cells to. */
export interface Changes {
  cells: number;
}

/**
 * Plans a step that rewrites text columns whole (trim, nullify, and textMapPlan's steps):
 * `mapColumn` returns the column with its first `n` values rewritten, or null when none
 * changed, and counts the changed cells in `changes`. A step with its own loop here pays no
 * call per cell.
 */
export function textColumnsPlan(
  input: Field[],
  cols: number[],
  mapColumn: (column: TextColumn, n: number, changes: Changes) => TextColumn | null,
): StepPlan {
  const changes: Changes = { cells: 0 };
  return {
    fields: input,
    process(batch, sink) {
      let columns: Column[] | null = null;
      changes.cells = 0;
      for (const ci of cols) {
        const src = batch.columns[ci];
        if (src.kind !== 'text') continue;
        const out = mapColumn(src, batch.length, changes);
        if (out !== null) (columns ??= batch.columns.slice())[ci] = out;
      }
      sink.changed(changes.cells);
      if (batch.length > 0) sink.emit(columns ? { ...batch, columns } : batch);
    },
  };
}

/**
 * The plan of a step that needs every row before it can emit (sort, dedupe keep last, ...):
 * batches are held as they come (repeated text shared), and at the end `finish` gets them all
 * as one batch of the `input` columns; it is not called when no rows came.
 */
export function holdAll(
  input: Field[],
  finish: (all: Batch, sink: StepSink) => void,
  output: Field[] = input,
): StepPlan {
  return holdBatches((batches, sink) => {
    if (batches.length) finish(concat(batches, input), sink);
  }, output);
}

/** Like holdAll, but `finish` gets the held batches as they came (none when no rows came). */
export function holdBatches(
  finish: (batches: Batch[], sink: StepSink) => void,
  output: Field[],
): StepPlan {
  const held = new HeldRows();
  return {
    fields: output,
    process(batch) {
      held.add(batch);
    },
    finish(sink) {
      finish(held.takeBatches(), sink);
    },
  };
}
