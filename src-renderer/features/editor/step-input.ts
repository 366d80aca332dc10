/**
 * The columns a step's form offers: the step's input as pipelines.columns worked it out from
 * the recipe, else the preview's before side when that is the step shown, else none yet.
 */
import { parse } from 'yaml';
import type { State } from '../../store/types';
import type { NewStepContext } from './new-step';

export interface Col {
  name: string;
  type: string;
}

export interface StepInput {
  columns: Col[];
  /** Whether the columns are known (a name not among them is then flagged). */
  known: boolean;
  /** Why the step does not fit its input, as the service said. */
  problem: string | null;
}

const NONE: StepInput = { columns: [], known: false, problem: null };

/** The input columns of step `index` (0-based) of the open recipe. */
export function stepInput(s: State, index: number): StepInput {
  const ed = s.editor;
  if (!ed) return NONE;
  const got = s.columns?.name === ed.name ? s.columns.result : null;
  const step = got?.steps[index];
  if (step) return { columns: step.input, known: true, problem: step.problem };
  const p = s.preview;
  if (p.result && p.of?.name === ed.name && p.of.step === index + 1)
    return { columns: p.result.before.columns, known: true, problem: null };
  return NONE;
}

/** What a step added at `at` (0-based) starts from: the columns there, another pipeline. */
export function newStepContext(s: State, at: number): NewStepContext {
  const fresh = s.columns?.name === s.editor?.name && s.columns?.yaml === s.editor?.yaml;
  const got = fresh ? s.columns?.result : null;
  const columns = got ? (at === 0 ? got.source : (got.steps[at - 1]?.output ?? got.source)) : [];
  const others = s.project?.pipelines.filter((p) => p.name !== s.editor?.name) ?? [];
  const ran = others.find((p) => p.last_run?.status === 'succeeded')?.name;
  // A join starts on a table it can read at once: a pipeline that has run, else this
  // pipeline's own source file; never on an output not written yet, whose preview would fail.
  let source: string | undefined;
  try {
    const doc = parse(s.editor?.yaml ?? '') as { source?: { path?: unknown } } | null;
    if (typeof doc?.source?.path === 'string') source = doc.source.path;
  } catch {
    // the recipe mid-edit: no file to offer
  }
  const side = ran ? { pipeline: ran } : source ? { csv: source } : undefined;
  return { columns, otherPipeline: others[0]?.name, side };
}
