/**
 * Loads a project folder: `sluice.yaml` and `pipelines/*.yaml`. Every problem names the file,
 * line and column, the key path and what was expected.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isAlias, isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { Pipeline, Project } from '../../src-shared/recipe/pipeline';
import { Step } from '../../src-shared/recipe/steps';
import { ConfigError, formatIssue, type ConfigIssue } from './config-error';

const STEPS_BY_KIND = Object.fromEntries(Step.options.map((o) => [o.shape.step.value, true]));

export { ConfigError, formatIssue, type ConfigIssue };

export interface LoadedPipeline {
  file: string;
  text: string;
  pipeline: Pipeline;
}

export interface LoadedProject {
  dir: string;
  file: string;
  project: Project;
  pipelines: LoadedPipeline[];
}

/** Parses YAML text against a schema; returns the value or the issues found. */
export function parseYaml<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
): { ok: true; value: z.infer<S> } | { ok: false; issues: ConfigIssue[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: [],
          message: `YAML syntax: ${e.message.split('\n')[0]}`,
        };
      }),
    };
  }
  let js: unknown;
  try {
    js = doc.toJS();
  } catch (e) {
    // An alias without its anchor, or aliases that expand beyond reason (a "billion laughs").
    const { line, col } = firstAlias(doc, lc);
    return {
      ok: false,
      issues: [{ file, line, column: col, path: [], message: `YAML: ${(e as Error).message}` }],
    };
  }
  const result = schema.safeParse(js);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((iss) => {
      const path = iss.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (
        string | number
      )[];
      const { line, col } = locate(doc, lc, path);
      let message = describeIssue(iss);
      if (iss.code === 'invalid_type' && doc.getIn(path) === null && doc.hasIn(path)) {
        message += ' (YAML reads an unquoted null, NULL, ~ or an empty value as null: quote it)';
      }
      if (iss.code === 'invalid_union' && path[path.length - 1] === 'step') {
        message = `unknown step kind ${JSON.stringify(doc.getIn(path))}; the kinds are: ${Object.keys(STEPS_BY_KIND).join(', ')}`;
      }
      return { file, line, column: col, path, message };
    }),
  };
}

function firstAlias(doc: Document, lc: LineCounter): { line: number; col: number } {
  let at = 0;
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node) && node.range) at = node.range[0];
      return visit.BREAK;
    },
  });
  return lc.linePos(at);
}

function locate(
  doc: Document,
  lc: LineCounter,
  path: (string | number)[],
): { line: number; col: number } {
  // Walk down as far as the path exists; point at the deepest node found.
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const p = lc.linePos(node.range[0]);
      return { line: p.line, col: p.col };
    }
  }
  return { line: 1, col: 1 };
}

function describeIssue(iss: z.core.$ZodIssue): string {
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${iss.expected}${'input' in iss && iss.input === undefined ? ' (missing)' : ''}`;
    case 'unrecognized_keys':
      return `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union': {
      if ('discriminator' in iss && iss.discriminator) return iss.message;
      return iss.message;
    }
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return iss.message;
  }
}

/** Reads and validates one pipeline file. */
export async function loadPipelineFile(file: string): Promise<LoadedPipeline> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError([
      { file, line: 1, column: 1, path: [], message: `cannot read: ${e.code ?? e.message}` },
    ]);
  });
  const r = parseYaml(file, text, Pipeline);
  if (!r.ok) throw new ConfigError(r.issues);
  return { file, text, pipeline: r.value };
}

/** Reads a project folder; all problems in all files are reported together. */
export async function loadProject(dirArg: string): Promise<LoadedProject> {
  const dir = resolve(dirArg);
  const file = join(dir, 'sluice.yaml');
  const issues: ConfigIssue[] = [];
  let project: Project | null = null;
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    issues.push({
      file,
      line: 1,
      column: 1,
      path: [],
      message:
        e.code === 'ENOENT'
          ? 'not a Sluice project: sluice.yaml is missing'
          : `cannot read: ${e.code ?? e.message}`,
    });
    return null;
  });
  if (text !== null) {
    const r = parseYaml(file, text, Project);
    if (r.ok) project = r.value;
    else issues.push(...r.issues);
  }
  const pdir = join(dir, 'pipelines');
  const names = (await readdir(pdir).catch(() => [] as string[]))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const pipelines: LoadedPipeline[] = [];
  for (const name of names) {
    try {
      pipelines.push(await loadPipelineFile(join(pdir, name)));
    } catch (e) {
      if (e instanceof ConfigError) issues.push(...e.issues);
      else throw e;
    }
  }
  const seen = new Map<string, string>();
  for (const p of pipelines) {
    const other = seen.get(p.pipeline.name);
    if (other)
      issues.push({
        file: p.file,
        line: 1,
        column: 1,
        path: ['name'],
        message: `pipeline name "${p.pipeline.name}" is also used by ${other}`,
      });
    seen.set(p.pipeline.name, p.file);
  }
  if (issues.length) throw new ConfigError(issues);
  return { dir, file, project: project!, pipelines };
}

/** A project's recipe files: sluice.yaml, then pipelines/*.yaml by name. */
async function recipeFiles(dirArg: string): Promise<string[]> {
  const dir = resolve(dirArg);
  const pdir = join(dir, 'pipelines');
  const names = (await readdir(pdir).catch(() => [] as string[]))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return [join(dir, 'sluice.yaml'), ...names.map((n) => join(pdir, n))];
}

/**
 * What a project's recipes look like on disk without reading them: each file's name, size,
 * inode and modification time. Null when a file was written in the last two seconds (a file
 * system that keeps whole seconds could hide a second save) or cannot be looked at.
 */
export async function projectSignature(dirArg: string): Promise<string | null> {
  try {
    const files = await recipeFiles(dirArg);
    const stats = await Promise.all(files.map((f) => stat(f)));
    const now = Date.now();
    if (stats.some((s) => now - s.mtimeMs < 2000)) return null;
    return stats.map((s, i) => `${files[i]}:${s.size}:${s.ino}:${s.mtimeMs}`).join('\n');
  } catch {
    return null;
  }
}

/**
 * The texts of a project's recipe files with their names, or null when one cannot be read. The
 * same texts as when the project was loaded are the same project, however recently they were
 * saved (`sluice run` just after `sluice import` need not parse them twice).
 */
export async function projectTexts(dirArg: string): Promise<string | null> {
  try {
    const files = await recipeFiles(dirArg);
    const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
    return files.map((f, i) => `${f}\n${texts[i].length}\n${texts[i]}`).join('\n');
  } catch {
    return null;
  }
}
