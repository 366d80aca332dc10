/**
 * A recipe's YAML text checked as the editor and the service both need it: syntax errors and
 * schema problems, each at its line and in plain words, and the steps as written even when the
 * recipe has errors (so the step list keeps showing them).
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { Pipeline } from './pipeline';
import { plainIssue } from './plain-words';

/** One problem of a recipe: where (path and line), what, and which kind of check found it. */
export const RecipeProblem = z.object({
  /** Where in the recipe: ['steps', 2, 'columns'] (empty for a syntax error). */
  path: z.array(z.union([z.string(), z.number()])),
  /** 1-based line in the YAML text, when known. */
  line: z.number().nullable(),
  /** Where in the text the setting is written, as character offsets [from, to), when known. */
  range: z.tuple([z.number(), z.number()]).nullable().optional(),
  message: z.string(),
  /** syntax: the YAML does not parse; schema: a setting of the wrong shape; semantic: it does
   * not fit the data (an unknown column, an expression that does not check). */
  kind: z.enum(['syntax', 'schema', 'semantic']),
});
export type RecipeProblem = z.infer<typeof RecipeProblem>;

export interface CheckedText {
  /** The steps as written (plain objects), even when the recipe has errors. */
  steps: Record<string, unknown>[];
  problems: RecipeProblem[];
  name: string | null;
  /** The recipe, when it has neither syntax nor schema problems. */
  pipeline: Pipeline | null;
  /** The line of a path (the nearest node that exists), for problems found later. */
  lineOf(path: readonly (string | number)[]): number | null;
  /** Where a path's node is written (the nearest node that exists), as [from, to) offsets. */
  rangeOf(path: readonly (string | number)[]): [number, number] | null;
}

function rangeAt(doc: Document, path: readonly (string | number)[]): [number, number] | null {
  let node: unknown = null;
  for (let n = path.length; n >= 0 && !node; n--) node = doc.getIn(path.slice(0, n), true);
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? [range[0], range[1]] : null;
}

/** Parses and checks a recipe's text against the pipeline schema; never throws. */
export function checkRecipeText(text: string): CheckedText {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const rangeOf = (path: readonly (string | number)[]): [number, number] | null =>
    rangeAt(doc, path);
  const lineOf = (path: readonly (string | number)[]): number | null => {
    const r = rangeOf(path);
    return r ? lc.linePos(r[0]).line : null;
  };
  const problems: RecipeProblem[] = doc.errors.map((e) => ({
    path: [],
    message: `the YAML does not parse: ${e.message.split('\n')[0]}`,
    line: lc.linePos(e.pos[0]).line,
    kind: 'syntax' as const,
  }));
  const js = problems.length ? null : (doc.toJS() as unknown);
  const raw = js && typeof js === 'object' ? (js as Record<string, unknown>) : {};
  const steps = Array.isArray(raw.steps)
    ? (raw.steps as unknown[]).map((s) =>
        s && typeof s === 'object' ? (s as Record<string, unknown>) : { step: String(s) },
      )
    : [];
  let pipeline: Pipeline | null = null;
  if (!problems.length) {
    const checked = Pipeline.safeParse(js);
    if (checked.success) pipeline = checked.data;
    else
      for (const i of checked.error.issues) {
        const path = i.path.map((p) => (typeof p === 'number' ? p : String(p)));
        problems.push({
          path,
          message: plainIssue(i, js),
          line: lineOf(path),
          range: rangeOf(path),
          kind: 'schema',
        });
      }
  }
  return {
    steps,
    problems,
    name: typeof raw.name === 'string' ? raw.name : null,
    pipeline,
    lineOf,
    rangeOf,
  };
}
