/**
 * The recipe as YAML text and as steps, kept in sync both ways: form edits change the YAML
 * document in place (so comments and the rest of the text stay as written), and YAML text is
 * parsed and checked against the same schema the engine uses, with errors at their lines.
 */
import { isMap, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { checkRecipeText, type RecipeProblem } from '../../../src-shared/recipe/recipe-text';

/** A problem of the recipe: syntax, schema (checked here) or semantic (by the service). */
export type RecipeIssue = RecipeProblem;

export interface ParsedRecipe {
  /** The steps as written (plain objects), even when the recipe has errors. */
  steps: Record<string, unknown>[];
  /** YAML syntax errors and schema problems, in plain words. */
  issues: RecipeIssue[];
  /** The recipe's name, when it has one. */
  name: string | null;
}

/** Parses and checks a recipe; never throws. */
export function parseRecipe(text: string): ParsedRecipe {
  const { steps, problems, name } = checkRecipeText(text);
  return { steps, issues: problems, name };
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
