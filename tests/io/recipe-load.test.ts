import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadProject } from '../../src-main/io/recipe-load';
import { tempDir } from '../helpers/tmp';

function project(files: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'pipelines'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function issues(dir: string) {
  try {
    await loadProject(dir);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe('loading recipes', () => {
  it('loads a valid project with defaults filled in', async () => {
    const dir = project({
      'sluice.yaml': 'name: p\n',
      'pipelines/a.yaml': 'name: a\nsource:\n  path: a.csv\nsteps:\n  - step: trim\n',
    });
    const p = await loadProject(dir);
    expect(p.project).toMatchObject({ name: 'p', data: '.', defaults: { max_reject_rate: 1 } });
    expect(p.pipelines[0].pipeline.steps[0]).toEqual({
      step: 'trim',
      columns: 'all',
      collapse_spaces: false,
    });
    expect(p.pipelines[0].pipeline.source).toMatchObject({
      encoding: 'auto',
      delimiter: 'auto',
      header: 'auto',
    });
  });

  it('names file, line, column, key path and expectation for every problem', async () => {
    const dir = project({
      'sluice.yaml': 'name: p\ndefaults:\n  max_reject_rate: 2\n',
      'pipelines/a.yaml':
        'name: a\nsource:\n  path: a.csv\nsteps:\n  - step: trimm\n  - step: dedupe\n    keep: sometimes\n',
      'pipelines/b.yaml': 'name: b\nsource: {path: [1, 2]}\n',
      'pipelines/c.yaml': 'name: c\nsource:\n  path: "unclosed\n',
    });
    const found = await issues(dir);
    const text = found.map(
      (i) =>
        `${i.file.slice(dir.length + 1)}:${i.line}:${i.column} ${i.path.join('.')} ${i.message}`,
    );
    expect(text).toEqual(
      expect.arrayContaining([
        'sluice.yaml:3:20 defaults.max_reject_rate Too big: expected number to be <=1',
        expect.stringMatching(
          /^pipelines\/a\.yaml:5:11 steps\.0\.step unknown step kind "trimm"; the kinds are: trim, /,
        ),
        'pipelines/a.yaml:7:11 steps.1.keep expected one of "first", "last", "none"',
        'pipelines/b.yaml:2:16 source.path expected string',
        expect.stringMatching(/^pipelines\/c\.yaml:4:1 {2}YAML syntax: Missing closing "quote/),
      ]),
    );
  });

  it('refuses duplicate pipeline names and a folder that is not a project', async () => {
    const dir = project({
      'sluice.yaml': 'name: p\n',
      'pipelines/a.yaml': 'name: x\nsource: {path: a.csv}\n',
      'pipelines/b.yaml': 'name: x\nsource: {path: b.csv}\n',
    });
    expect((await issues(dir)).map((i) => i.message)).toEqual([
      expect.stringMatching(/pipeline name "x" is also used by/),
    ]);
    expect((await issues(tempDir())).map((i) => i.message)).toEqual([
      'not a Sluice project: sluice.yaml is missing',
    ]);
  });
});

describe('keys named like Object.prototype members', () => {
  it('keeps __proto__, constructor and toString keys of column maps, with located errors', async () => {
    const dir = project({
      'sluice.yaml': 'name: p\nconnections:\n  constructor: {url: "postgres://u@h/db"}\n',
      'pipelines/a.yaml':
        'name: a\nsource: {path: a.csv}\nsteps:\n' +
        '  - step: cast\n    columns: {__proto__: int, constructor: date}\n' +
        '  - step: derive\n    columns:\n      __proto__: "[__proto__] + 1"\n      toString: "1"\n' +
        '  - step: rename\n    columns: {hasOwnProperty: valueOf}\n',
    });
    const p = await loadProject(dir);
    const [cast, derive, rename] = p.pipelines[0].pipeline.steps;
    expect(Object.entries((cast as { columns: object }).columns)).toEqual([
      ['__proto__', 'int'],
      ['constructor', 'date'],
    ]);
    expect(Object.keys((derive as { columns: object }).columns)).toEqual(['__proto__', 'toString']);
    expect(Object.entries((rename as { columns: object }).columns)).toEqual([
      ['hasOwnProperty', 'valueOf'],
    ]);
    expect(Object.keys(p.project.connections)).toEqual(['constructor']);
    expect(p.project.connections['toString']).toBeUndefined();

    const bad = project({
      'sluice.yaml': 'name: p\n',
      'pipelines/a.yaml':
        'name: a\nsource: {path: a.csv}\nsteps:\n  - step: cast\n    columns:\n      __proto__: integer\n',
    });
    expect((await issues(bad)).map((i) => `${i.line}:${i.column} ${i.path.join('.')}`)).toEqual([
      '6:18 steps.0.columns.__proto__',
    ]);
  });
});

describe('YAML nulls', () => {
  it('explains an unquoted NULL where text was expected', async () => {
    const dir = project({
      'sluice.yaml': 'name: p\n',
      'pipelines/a.yaml':
        'name: a\nsource: {path: a.csv}\nsteps:\n  - step: nullify\n    tokens: [N/A, NULL]\n',
    });
    const [i] = await issues(dir);
    expect(i.message).toBe(
      'expected string (YAML reads an unquoted null, NULL, ~ or an empty value as null: quote it)',
    );
    expect([i.line, i.column]).toEqual([5, 19]);
  });
});
