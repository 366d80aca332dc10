/** Schema problems in the editor, in plain words instead of zod's. */
import { describe, expect, it } from 'vitest';
import { parseRecipe } from './recipe-doc';

const recipe = (steps: string): string =>
  `name: a\nsource: {path: a.csv}\nsteps:\n${steps}\noutputs:\n  - {kind: csv, path: out/a.csv}\n`;
const messages = (steps: string): string[] =>
  parseRecipe(recipe(steps)).issues.map((i) => i.message);

describe('plain words for schema problems', () => {
  it('says what a setting must hold, with an example, naming the step', () => {
    expect(messages('  - step: trim\n  - step: trim\n  - step: trim\n    columns: Name')).toEqual([
      'step 3 (trim): `columns` must be a list of column names, like [Name, City], or all',
    ]);
    expect(messages('  - step: dedupe\n    key: CustomerKey')).toEqual([
      'step 1 (dedupe): `key` must be a list of column names, like [CustomerKey], not "CustomerKey"',
    ]);
    expect(messages('  - step: filter\n    where: 3')).toEqual([
      'step 1 (filter): `where` must be text, not 3',
    ]);
  });

  it('names what is missing, unknown or not one of the choices', () => {
    expect(messages('  - step: filter')).toEqual(['step 1 (filter): `where` is required']);
    expect(messages('  - step: case\n    columns: [x]\n    to: sideways')).toEqual([
      'step 1 (case): `to` must be one of upper, lower, title, not "sideways"',
    ]);
    expect(messages('  - step: frob')[0]).toMatch(
      /^step 1 \(frob\): there is no step kind "frob"; the kinds are trim, nullify, cast, /,
    );
    expect(messages('  - step: limit\n    rows: 5\n    bogus: 1')).toEqual([
      'step 1 (limit): `bogus` is not a setting of limit; its settings are rows, offset, name, enabled, note',
    ]);
    expect(messages('  - step: cast\n    columns: {v: integer}')[0]).toBe(
      'step 1 (cast): column v has type "integer"; the types are int, float, decimal, boolean, date, datetime, string',
    );
    expect(messages('  - step: trim\n    columns: []')).toEqual([
      'step 1 (trim): `columns` needs at least one item: a list of column names, like [Name, City]',
    ]);
    expect(messages('  - step: limit\n    rows: -1')).toEqual([
      'step 1 (limit): `rows` must be at least 0, not -1',
    ]);
  });

  it('keeps the line of each problem, and syntax errors say the YAML does not parse', () => {
    const [i] = parseRecipe(recipe('  - step: case\n    columns: [x]\n    to: sideways')).issues;
    expect(i).toMatchObject({ line: 6, path: ['steps', 0, 'to'], kind: 'schema' });
    const [s] = parseRecipe('name: a\nsteps: [\n').issues;
    expect(s.kind).toBe('syntax');
    expect(s.message).toMatch(/^the YAML does not parse: /);
    expect(s.line).toBeGreaterThan(1);
  });
});
