/**
 * The documentation keeps up with the code: every shell block is run by a test or says why not,
 * every relative link leads somewhere, and the references (cli.md, api.md, recipes.md) cover
 * every command, option, method and step kind there is.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { METHODS } from '../../src-shared/api/contract';
import { z } from 'zod';
import {
  Output,
  Pipeline,
  Project,
  Schedule,
  SourceSettings,
  Watch,
} from '../../src-shared/recipe/pipeline';
import { Step } from '../../src-shared/recipe/steps';
import { STEPS } from '../../src-main/engine/steps/index';
import { buildProgram } from '../../src-main/cli/main';
import { blocks, docFiles, ROOT, section } from '../helpers/docs';

const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

/** Every .ts file under tests/, for the snippet ids they read. */
function testSources(dir = join(ROOT, 'tests')): string {
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .map((p) =>
      statSync(p).isDirectory() ? testSources(p) : p.endsWith('.ts') ? readFileSync(p, 'utf8') : '',
    )
    .join('\n');
}

/** The lines of a Markdown file outside fenced blocks, with inline code taken out. */
function prose(file: string): string[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const fenced = new Set<number>();
  for (const b of blocks(file))
    for (let l = b.line; l <= b.line + b.text.split('\n').length; l++) fenced.add(l);
  return lines.map((l, i) => (fenced.has(i + 1) ? '' : l.replace(/`[^`\n]*`/g, '')));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings (a repeated one gets -1, -2, ... as on GitHub). */
function anchors(file: string): Set<string> {
  const raw = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const fenced = new Set<number>();
  for (const b of blocks(file))
    for (let l = b.line; l <= b.line + b.text.split('\n').length; l++) fenced.add(l);
  const seen = new Map<string, number>();
  const out = new Set<string>();
  raw.forEach((line, i) => {
    const h = !fenced.has(i + 1) && /^#{1,6} (.+)$/.exec(line);
    if (!h) return;
    const base = slug(h[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  });
  return out;
}

describe('the documentation', () => {
  it('runs every shell block of README.md and docs/ in a test, or says why not', () => {
    const tests = testSources();
    const unmarked: string[] = [];
    const unread: string[] = [];
    const ids = new Map<string, string>();
    for (const file of docFiles()) {
      for (const b of blocks(file)) {
        const where = `${b.file}:${b.line}`;
        if (b.marker?.kind === 'snippet') {
          expect(ids.get(b.marker.id), `snippet ${b.marker.id} marked twice`).toBeUndefined();
          ids.set(b.marker.id, where);
          if (!tests.includes(`snippet('${b.marker.id}')`)) unread.push(`${where} ${b.marker.id}`);
        } else if (SHELL.has(b.lang) && b.marker === null) unmarked.push(where);
      }
    }
    // Mark each with <!-- snippet: ID --> and read it in a test, or <!-- not run: why -->.
    expect(unmarked).toEqual([]);
    // A snippet no test reads is a promise nobody keeps.
    expect(unread).toEqual([]);
    // The README's own set-up and first commands are among them.
    expect([...ids.keys()]).toContain('cli-tour');
  });

  it('has relative links that lead to files and headings that exist', () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      prose(file).forEach((line, i) => {
        for (const m of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
          const target = m[1];
          if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
          const [path, anchor] = target.split('#') as [string, string | undefined];
          const resolved = path
            ? normalize(relative(ROOT, join(ROOT, dirname(file), decodeURI(path))))
            : file;
          const where = `${file}:${i + 1} ${target}`;
          if (!existsSync(join(ROOT, resolved))) broken.push(`${where}: no file ${resolved}`);
          else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
            broken.push(`${where}: no heading #${anchor} in ${resolved}`);
        }
      });
    }
    expect(broken).toEqual([]);
  });

  it('the link check itself finds a missing file and a missing heading', () => {
    expect(anchors('docs/cli.md')).toContain('sluice-run');
    expect(anchors('docs/recipes.md')).toContain('the-books-how-rows-are-accounted-for');
    expect(anchors('docs/recipes.md')).not.toContain('in-a-pipeline'); // a comment in a YAML block
    expect(slug('Schedules, watched folders and notifications')).toBe(
      'schedules-watched-folders-and-notifications',
    );
  });

  it('keeps the README a front door: at most 300 lines, with links into docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    for (const doc of [
      'cli',
      'recipes',
      'expressions',
      'api',
      'architecture',
      'benchmarks',
      'security',
    ])
      expect(readme).toContain(`(docs/${doc}.md)`);
    // The set-up commands CI runs (.ci/run runs npm test).
    expect(readme).toMatch(
      /```sh\nnpm install .*\nnpm start .*\nnpm run demo .*\nnpm test .*\n```/,
    );
    for (const image of readme.matchAll(/!\[[^\]]*\]\((docs\/images\/[^)]+\.png)\)/g))
      expect(statSync(join(ROOT, image[1])).size).toBeLessThan(300 * 1024);
  });
});

describe('docs/cli.md', () => {
  const commands = (program: Command): Command[] =>
    program
      .createHelp()
      .visibleCommands(program)
      .filter((c) => c.name() !== 'help');

  it('has a section for every command, naming each of its options', () => {
    const missing: string[] = [];
    for (const c of commands(buildProgram())) {
      let text: string;
      try {
        text = section('docs/cli.md', `## \`sluice ${c.name()}\``);
      } catch {
        missing.push(`sluice ${c.name()}`);
        continue;
      }
      for (const o of c.options)
        if (o.long && o.long !== '--help' && !text.includes(o.long))
          missing.push(`sluice ${c.name()} ${o.long}`);
    }
    expect(missing).toEqual([]);
    expect(commands(buildProgram()).length).toBeGreaterThanOrEqual(15);
  });
});

describe('docs/api.md', () => {
  it('has a row for every method of the contract, with its route', () => {
    const api = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
    const rows = api.split('\n').filter((l) => l.startsWith('| `'));
    const missing = Object.entries(METHODS)
      .filter(
        ([name, m]) =>
          !rows.some(
            (r) => r.startsWith(`| \`${name}\``) && r.includes(`${m.http.verb} ${m.http.path}`),
          ),
      )
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
});

describe('docs/recipes.md', () => {
  it('documents every step kind with an example that is a valid step of that kind', () => {
    const kinds = Object.keys(STEPS);
    expect(kinds.length).toBeGreaterThanOrEqual(26);
    for (const kind of kinds) {
      const text = section('docs/recipes.md', `#### \`${kind}\``);
      const example = /```yaml\n([\s\S]*?)```/.exec(text);
      expect(example, `no example for ${kind}`).not.toBeNull();
      const steps = parse(example![1]) as unknown[];
      expect(steps).toHaveLength(1);
      const r = Step.safeParse(steps[0]);
      expect(r.success, `${kind}: ${r.error?.message}`).toBe(true);
      expect(r.data!.step).toBe(kind);
    }
  });
});

describe('the YAML examples of README.md and docs/recipes.md', () => {
  /** The schema a YAML example is a part of, told by its keys. */
  function schemaOf(v: Record<string, unknown>): z.ZodType {
    if ('steps' in v) return Pipeline;
    if ('outputs' in v) return z.strictObject({ outputs: z.array(Output) });
    if ('source' in v) return z.strictObject({ source: SourceSettings });
    if ('schedule' in v) return z.strictObject({ schedule: Schedule, watch: Watch });
    if ('notify' in v) return z.strictObject({ notify: Project.shape.notify });
    if ('connections' in v) return z.strictObject({ connections: Project.shape.connections });
    return Project;
  }

  it('fit the schemas of the parts they show (the steps are checked above)', () => {
    let checked = 0;
    for (const file of ['README.md', 'docs/recipes.md'])
      for (const b of blocks(file)) {
        if (b.lang !== 'yaml') continue;
        const v = parse(b.text) as unknown;
        if (Array.isArray(v)) continue; // a step
        const r = schemaOf(v as Record<string, unknown>).safeParse(v);
        expect(r.success, `${file}:${b.line} ${r.error?.message}`).toBe(true);
        checked++;
      }
    expect(checked).toBeGreaterThanOrEqual(9);
  });
});
