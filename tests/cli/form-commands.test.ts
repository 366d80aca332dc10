/**
 * sluice columns, expr and join-counts as a person reads them (their --json is checked against
 * the API in api-parity.test.ts): the columns after each step, an expression's problem under
 * the part it is about with exit 1, and a join's counts in words.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sluiceIn } from '../helpers/cli';
import { makeProject } from '../helpers/project';

const dir = makeProject(
  {
    orders: `source: {path: small.csv}
steps:
  - step: cast
    columns: {qty: int}
  - step: join
    with: {csv: customers.csv}
    on: [customer]
outputs:
  - {kind: csv, path: out/orders.csv}
`,
  },
  { name: 'forms', smallCsv: 'id,customer,qty\n1,a,2\n2,b,5\n3,zz,1\n' },
);
writeFileSync(join(dir, 'customers.csv'), 'customer,city\na,Rome\nb,Oslo\nc,Lima\n');

describe('the step forms from the command line', () => {
  it('sluice columns prints the columns and types after each step', async () => {
    const r = await sluiceIn(['columns', dir, 'orders']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('source: id:string, customer:string, qty:string');
    expect(r.stdout).toMatch(/1\s+cast\s+id:string, customer:string, qty:int/);
    expect(r.stdout).toMatch(/2\s+join\s+.*qty:int, city:string/);
  });

  it('sluice expr prints the type, or each problem under its place and exits 1', async () => {
    const ok = await sluiceIn(['expr', dir, 'orders', '2', 'qty * 2']);
    expect(ok).toMatchObject({ code: 0, stdout: 'ok: int\n' });
    const bad = await sluiceIn(['expr', dir, 'orders', '2', 'qty + [cty]']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe(
      'qty + [cty]\n      ^^^^^ unknown column "cty" (columns: id, customer, qty)\n',
    );
  });

  it('sluice join-counts says how the keys meet over every row', async () => {
    const r = await sluiceIn(['join-counts', dir, 'orders', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '3 rows in: 2 matched, 1 left only; 1 right rows never matched; 0 rows added by fan-out; 0 keys repeated on the right\n',
    );
  });
});
