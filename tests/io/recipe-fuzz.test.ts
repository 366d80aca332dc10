/**
 * Fuzzing the recipe loader (fast-check, fixed budget; FUZZ_SEED=<n> replays a run, and a
 * failure prints its seed): random text, random YAML structures and random mutations of the
 * example recipes. parseYaml answers issues and loadPipelineFile throws nothing but a
 * ConfigError, each issue with a file, a line and a column; `sluice validate` on such a
 * project exits 2 with a location and no stack trace.
 */
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadPipelineFile, parseYaml } from '../../src-main/io/recipe-load';
import { Pipeline, Project } from '../../src-shared/recipe/pipeline';
import { sluiceIn } from '../helpers/cli';
import { fuzz } from '../helpers/fuzz';
import { tempDir } from '../helpers/tmp';

const EXAMPLES = join(__dirname, '..', '..', 'config', 'examples', 'global-electronics');
const RECIPES = readdirSync(join(EXAMPLES, 'pipelines')).map((f) =>
  readFileSync(join(EXAMPLES, 'pipelines', f), 'utf8'),
);
const dir = tempDir();

/** Every issue names the file and a line and column within the text. */
function expectLocated(issues: { file: string; line: number; column: number }[], text: string) {
  expect(issues.length).toBeGreaterThan(0);
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const i of issues) {
    expect(i.file).toBe('r.yaml');
    expect(Number.isInteger(i.line) && i.line >= 1 && i.line <= lines + 1).toBe(true);
    expect(Number.isInteger(i.column) && i.column >= 1).toBe(true);
  }
}

function checkText(text: string): void {
  for (const schema of [Pipeline, Project]) {
    const r = parseYaml('r.yaml', text, schema);
    if (!r.ok) expectLocated(r.issues, text);
  }
}

/** YAML pieces, including the ones that stress a parser: anchors, aliases, tags, flows. */
const yamlSoup = fc
  .array(
    fc.constantFrom(
      'name: a\n',
      'source:\n',
      '  path: a.csv\n',
      'steps:\n',
      '  - step: trim\n',
      '  - ',
      'columns: ',
      '{',
      '}',
      '[',
      ']',
      ', ',
      ': ',
      '- ',
      '\n',
      '  ',
      '\t',
      '"',
      "'",
      '#x\n',
      '&a ',
      '*a',
      '*b',
      '!!str ',
      '!!binary ',
      '!custom ',
      '<<: *a\n',
      '---\n',
      '...\n',
      '? ',
      '|\n',
      '>-\n',
      'null',
      '~',
      'true',
      '1e999',
      '0x1F',
      '__proto__: ',
      'constructor: ',
      '%YAML 1.2\n',
      '\u0000',
      '\ufeff',
      'é',
      '\r\n',
    ),
    { maxLength: 30 },
  )
  .map((p) => p.join(''));

/** A valid recipe, changed by a few line edits. */
const mutated = fc
  .tuple(
    fc.constantFrom(...RECIPES),
    fc.array(
      fc.tuple(
        fc.constantFrom('delete', 'duplicate', 'indent', 'dedent', 'insert', 'replace', 'swap'),
        fc.nat(),
        fc.string({ maxLength: 8 }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([text, edits]) => {
    const lines = text.split('\n');
    for (const [op, at, s] of edits) {
      const i = at % lines.length;
      if (op === 'delete') lines.splice(i, 1);
      else if (op === 'duplicate') lines.splice(i, 0, lines[i]);
      else if (op === 'indent') lines[i] = '  ' + lines[i];
      else if (op === 'dedent') lines[i] = lines[i].replace(/^ {1,2}/, '');
      else if (op === 'insert') {
        const col = at % (lines[i].length + 1);
        lines[i] = lines[i].slice(0, col) + s + lines[i].slice(col);
      } else if (op === 'replace') lines[i] = lines[i].replace(/:\s.*$/, `: ${s}`);
      else if (op === 'swap' && i + 1 < lines.length)
        [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
      if (lines.length === 0) lines.push('');
    }
    return lines.join('\n');
  });

/** A valid recipe with a random value put somewhere in its structure. */
const grafted = fc
  .tuple(
    fc.constantFrom(...RECIPES.map((t) => Pipeline.parse(parseYamlValue(t)))),
    fc.array(
      fc.oneof(
        fc.constantFrom('steps', 'outputs', 'source', 'columns', 'rules', '__proto__'),
        fc.nat(5),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map(([p, path, value]) => {
    const root = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
    let node: Record<string, unknown> = root;
    for (const k of path.slice(0, -1)) {
      // Own keys only: node['__proto__'] would be Object.prototype, and the graft would land on
      // every object of the process.
      const next = Object.hasOwn(node, k) ? node[k] : undefined;
      if (typeof next !== 'object' || next === null) break;
      node = next as Record<string, unknown>;
    }
    Object.defineProperty(node, String(path[path.length - 1]), {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return stringify(root);
  });

function parseYamlValue(text: string): unknown {
  const r = parseYaml('x.yaml', text, Pipeline);
  if (!r.ok) throw new Error('an example recipe does not load');
  return r.value;
}

describe('recipe loader fuzzing', () => {
  it('random text and YAML-shaped text: issues with file, line and column', async () => {
    await fuzz(
      'recipe text',
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), yamlSoup), checkText),
      1500,
    );
  });
  it('random YAML structures', async () => {
    await fuzz(
      'recipe structures',
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => checkText(stringify(v))),
      600,
    );
  });
  it('mutations of the example recipes', async () => {
    await fuzz('recipe mutations', fc.property(fc.oneof(mutated, grafted), checkText), 1000);
  });
  it('loadPipelineFile throws nothing but a located ConfigError', async () => {
    await fuzz(
      'loadPipelineFile',
      fc.asyncProperty(fc.oneof(yamlSoup, mutated, grafted), async (text) => {
        const file = join(dir, 'r.yaml');
        writeFileSync(file, text);
        try {
          await loadPipelineFile(file);
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          expectLocated(
            e.issues.map((i) => ({ ...i, file: i.file === file ? 'r.yaml' : i.file })),
            text,
          );
        }
      }),
      200,
    );
  });
  it('resource exhaustion through aliases is an issue, not a crash', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let k = 0; k < 8; k++)
      bomb.push(
        `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + k)}`)
          .join(', ')}]`,
      );
    bomb.push('name: *i');
    checkText(bomb.join('\n') + '\n');
    checkText('&a [*a]\n');
    checkText('steps: &s\n  - *s\n');
  });
});

describe('sluice validate on broken recipes', { timeout: 120_000 }, () => {
  it('exits 2 and names file:line:column of each, with no stack trace', async () => {
    const broken: Record<string, string> = {
      syntax: 'name: a\nsource: {path: "a.csv}\n',
      deep: 'name: b\nsource: {path: a.csv}\nsteps:\n  - step: cast\n    columns: {x: [1]}\n',
      alias: '*nowhere\n',
      bomb:
        'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n' +
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nname: *c\n',
    };
    const p = join(tempDir(), 'proj');
    mkdirSync(join(p, 'pipelines'), { recursive: true });
    writeFileSync(join(p, 'sluice.yaml'), 'name: p\n');
    for (const [name, text] of Object.entries(broken))
      writeFileSync(join(p, 'pipelines', `${name}.yaml`), text);
    const r = await sluiceIn(['validate', p]);
    expect(r.code).toBe(2);
    for (const name of Object.keys(broken))
      expect(r.stderr).toMatch(new RegExp(`pipelines[/\\\\]${name}\\.yaml:\\d+:\\d+`));
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
