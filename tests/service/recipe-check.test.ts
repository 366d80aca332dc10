/**
 * The editor's service side on the example project over the real retail data: pipelines.check
 * finds an unknown column and a bad expression at their lines, in plain words, without saving;
 * every save keeps a version in a real SQLite run store, listed and read back by the API and by
 * `sluice versions`, whose --diff shows what changed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceService } from '../../src-main/service/api-service';
import { exampleProject } from '../helpers/e2e';
import { sluiceIn } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const dir = exampleProject();
const store = join(tempDir(), 'store.db');
let svc: SluiceService;
const recipe = readFileSync(join(dir, 'pipelines', 'customers.yaml'), 'utf8');
const lineOf = (text: string, needle: string): number =>
  text.split('\n').findIndex((l) => l.includes(needle)) + 1;

beforeAll(async () => {
  svc = await SluiceService.open(dir, { storePath: store });
});
afterAll(() => svc?.close());

describe('pipelines.check', () => {
  it('passes the example recipe as it is', async () => {
    const r = await svc.handlers['pipelines.check']({ name: 'customers', yaml: recipe });
    expect(r).toEqual({ ok: true, problems: [], not_checked: null });
  });

  it('names an unknown column and a bad expression at their lines, and goes on past them', async () => {
    const yaml = recipe
      .replace('columns: [Birthday]', 'columns: [Birthdate]')
      .replace(
        '  - step: dedupe',
        '  - step: filter\n    where: year(Birthday) > "x" +\n  - step: dedupe',
      );
    const r = await svc.handlers['pipelines.check']({ name: 'customers', yaml });
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(2);
    const [col, expr] = r.problems;
    expect(col).toMatchObject({
      kind: 'semantic',
      path: ['steps', 2, 'columns', 0],
      line: lineOf(yaml, 'columns: [Birthdate]'),
    });
    expect(col.message).toMatch(/^step 3 \(parse_dates\): unknown column "Birthdate"/);
    expect(col.message).toContain('Birthday'); // the columns that are there
    expect(yaml.slice(...col.range!)).toBe('Birthdate');
    expect(expr).toMatchObject({
      kind: 'semantic',
      path: ['steps', 4, 'where'],
      line: lineOf(yaml, 'where: year('),
    });
    expect(expr.message).toMatch(/^step 5 \(filter\): /);
    // Nothing was written.
    expect(readFileSync(join(dir, 'pipelines', 'customers.yaml'), 'utf8')).toBe(recipe);
  });

  it('says why the steps of a pipeline reading another one are not checked before it has run', async () => {
    const yaml = readFileSync(join(dir, 'pipelines', 'sales_lines.yaml'), 'utf8');
    expect(await svc.handlers['pipelines.check']({ name: 'sales_lines', yaml })).toEqual({
      ok: true,
      problems: [],
      not_checked:
        'the steps are checked against data once pipeline sales and pipeline products are written',
    });
  });

  it('says schema problems in plain words, and syntax errors with their line', async () => {
    const yaml = recipe.replace('  - step: trim', '  - step: trim\n    columns: Name');
    const schema = await svc.handlers['pipelines.check']({ name: 'customers', yaml });
    expect(schema.problems).toEqual([
      {
        kind: 'schema',
        path: ['steps', 0, 'columns'],
        line: lineOf(recipe, '- step: trim') + 1,
        range: expect.any(Array),
        message:
          'step 1 (trim): `columns` must be a list of column names, like [Name, City], or all',
      },
    ]);
    // Where the setting is written, for the editor to underline.
    expect(yaml.slice(...schema.problems[0].range!)).toBe('Name');
    const syntax = await svc.handlers['pipelines.check']({
      name: 'customers',
      yaml: 'name: customers\nsteps: [\n',
    });
    expect(syntax.problems[0]).toMatchObject({ kind: 'syntax', line: expect.any(Number) });
  });
});

describe('saved versions', () => {
  it('each save keeps one (the same text twice keeps one), listed newest first; the CLI diffs two', async () => {
    const save = (yaml: string) => svc.handlers['pipelines.save']({ name: 'customers', yaml });
    const edited = recipe.replace('key: [CustomerKey]', 'key: [CustomerKey, Name]');
    await save(recipe);
    await save(recipe);
    await save(edited);
    const { items } = await svc.handlers['pipelines.versions']({ name: 'customers' });
    expect(items).toHaveLength(2);
    expect(items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    const [newer, older] = items;
    const v = await svc.handlers['pipelines.version']({
      name: 'customers',
      hash: newer.hash.slice(0, 10),
    });
    expect(v.text).toBe(edited);
    expect(Date.parse(newer.saved_at)).toBeGreaterThanOrEqual(Date.parse(older.saved_at));

    const args = [dir, '--pipeline', 'customers', '--store', store];
    const listed = await sluiceIn(['versions', ...args, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ items });
    const diff = await sluiceIn(['versions', ...args, '--diff', older.hash, newer.hash]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('-    key: [CustomerKey]\n+    key: [CustomerKey, Name]\n');
    expect(diff.stdout.split('\n').filter((l) => /^[-+] /.test(l))).toHaveLength(2);
    const bad = await sluiceIn(['versions', ...args, '--show', 'abcdef']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('has no saved version abcdef');
  });
});
