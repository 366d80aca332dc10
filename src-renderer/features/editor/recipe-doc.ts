/**
 * The recipe as YAML text and as steps, kept in sync both ways: form edits change the YAML
 * document in place (so comments and the rest of the text stay as written), and YAML text is
 * parsed and checked against the same schema the engine uses, with errors at their lines.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { Pipeline } from '../../../src-shared/recipe/pipeline';

export interface RecipeIssue {
  /** Where in the recipe: ['steps', 2, 'columns'] */
  path: (string | number)[];
  message: string;
  /** 1-based line in the YAML text, when known. */
  line: number | null;
}

export interface ParsedRecipe {
  /** The steps as written (plain objects), even when the recipe has errors. */
  steps: Record<string, unknown>[];
  /** YAML syntax errors and schema problems. */
  issues: RecipeIssue[];
  /** The recipe's name, when it has one. */
  name: string | null;
}

function lineOf(lc: LineCounter, offset: number | undefined): number | null {
  return offset === undefined ? null : lc.linePos(offset).line;
}

/** Parses and checks a recipe; never throws. */
export function parseRecipe(text: string): ParsedRecipe {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const issues: RecipeIssue[] = doc.errors.map((e) => ({
    path: [],
    message: e.message.split('\n')[0],
    line: lineOf(lc, e.pos[0]),
  }));
  const js = issues.length ? null : (doc.toJS() as unknown);
  const raw = js && typeof js === 'object' ? (js as Record<string, unknown>) : {};
  const steps = Array.isArray(raw.steps)
    ? (raw.steps as unknown[]).map((s) =>
        s && typeof s === 'object' ? (s as Record<string, unknown>) : { step: String(s) },
      )
    : [];
  if (!issues.length) {
    const checked = Pipeline.safeParse(js);
    if (!checked.success)
      for (const i of checked.error.issues) {
        const path = i.path.map((p) => (typeof p === 'number' ? p : String(p)));
        // The nearest node that exists gives the line.
        let node: unknown = null;
        for (let n = path.length; n >= 0 && !node; n--) node = doc.getIn(path.slice(0, n), true);
        const range = (node as { range?: [number, number, number] } | null)?.range;
        issues.push({ path, message: i.message, line: lineOf(lc, range?.[0]) });
      }
  }
  return { steps, issues, name: typeof raw.name === 'string' ? raw.name : null };
}

function docOf(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`the YAML has errors: ${doc.errors[0].message}`);
  return doc;
}

function stepsSeq(doc: Document): YAMLSeq {
  let seq = doc.get('steps', true);
  if (!isSeq(seq)) {
    doc.set('steps', doc.createNode([]));
    seq = doc.get('steps', true);
  }
  return seq as YAMLSeq;
}

const out = (doc: Document): string => doc.toString({ lineWidth: 100 });

/**
 * Sets (or, with undefined, removes) fields of step `index`; other fields, comments and
 * formatting stay as they were.
 */
export function editStep(text: string, index: number, patch: Record<string, unknown>): string {
  const doc = docOf(text);
  const item = stepsSeq(doc).items[index];
  if (!isMap(item)) throw new Error(`there is no step ${index + 1}`);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) item.delete(k);
    else item.set(k, doc.createNode(v));
  }
  return out(doc);
}

/** Adds a step at `at` (default: the end). */
export function addStep(text: string, step: Record<string, unknown>, at?: number): string {
  const doc = docOf(text);
  const seq = stepsSeq(doc);
  const node = doc.createNode(step);
  seq.items.splice(at ?? seq.items.length, 0, node);
  return out(doc);
}

export function removeStep(text: string, index: number): string {
  const doc = docOf(text);
  stepsSeq(doc).items.splice(index, 1);
  return out(doc);
}

/** Moves the step at `from` to position `to`, its comments with it. */
export function moveStep(text: string, from: number, to: number): string {
  const doc = docOf(text);
  const items = stepsSeq(doc).items;
  if (to < 0 || to >= items.length || from === to) return text;
  const [node] = items.splice(from, 1);
  items.splice(to, 0, node);
  return out(doc);
}

/** Disables a step (enabled: false) or enables it again (the key removed). */
export function setEnabled(text: string, index: number, enabled: boolean): string {
  return editStep(text, index, { enabled: enabled ? undefined : false });
}

/** A one-line description of a step for the list: "cast: v → int". */
export function stepLabel(step: Record<string, unknown>): string {
  const kind = String(step.step ?? '?');
  if (typeof step.name === 'string') return `${kind}: ${step.name}`;
  const cols = step.columns ?? step.key ?? step.by ?? step.where;
  if (Array.isArray(cols)) return `${kind}: ${cols.join(', ')}`;
  if (cols && typeof cols === 'object')
    return `${kind}: ${Object.entries(cols)
      .map(([k, v]) => `${k} → ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ')}`;
  if (typeof cols === 'string') return `${kind}: ${cols}`;
  return kind;
}
