/**
 * What the step forms ask of the service while a recipe is being written, on real files
 * through the dispatcher: each step's columns from the recipe alone (a broken step says why
 * and the rest go on), an expression's type or its problems with where they are, and how a
 * join's keys meet over all rows before any run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, Params } from '../../src-shared/api/contract';
import { SluiceService } from '../../src-main/service/api-service';
import { createDispatcher } from '../../src-main/transports/dispatcher';
import { caller, type Call } from '../helpers/service';
import { makeProject } from '../helpers/project';

const ORDERS =
  'id,customer,qty,day\n1,a,2,3/1/2024\n2,b,5,3/2/2024\n3,b,1,3/3/2024\n4,zz,7,3/4/2024\n';
// Customer c never orders; b appears once, so no fan-out.
const CUSTOMERS = 'customer,city\na,Rome\nb,Oslo\nc,Lima\n';

const dir = makeProject(
  {
    orders: `source: {path: small.csv}
steps:
  - step: parse_dates
    columns: [day]
    formats: [M/d/yyyy]
  - step: cast
    columns: {qty: int}
  - step: derive
    columns:
      double: qty * 2
      label: upper(customer)
  - step: filter
    where: double > 2
outputs:
  - {kind: csv, path: out/orders.csv}
`,
  },
  { name: 'forms', smallCsv: ORDERS },
);
writeFileSync(join(dir, 'customers.csv'), CUSTOMERS);

let svc: SluiceService;
let call: Call;
let fail: <M extends MethodName>(m: M, p: Params<M>) => Promise<string>;

beforeAll(async () => {
  svc = await SluiceService.open(dir, { storePath: join(dir, 'store.db') });
  call = caller(svc);
  const dispatch = createDispatcher(svc.handlers);
  fail = async (m, p) => {
    const r = await dispatch(m, p);
    if (r.ok) throw new Error(`${m} succeeded`);
    return r.error.message;
  };
});

afterAll(() => svc?.close());

const names = (cols: { name: string; type: string }[]): string[] =>
  cols.map((c) => `${c.name}:${c.type}`);

describe('pipelines.columns', () => {
  it("gives each step's input and output columns and types without running a row", async () => {
    const r = await call('pipelines.columns', { name: 'orders' });
    expect(names(r.source)).toEqual(['id:string', 'customer:string', 'qty:string', 'day:string']);
    expect(r.steps.map((s) => [s.index, s.kind, s.problem])).toEqual([
      [1, 'parse_dates', null],
      [2, 'cast', null],
      [3, 'derive', null],
      [4, 'filter', null],
    ]);
    expect(names(r.steps[2].input)).toEqual([
      'id:string',
      'customer:string',
      'qty:int',
      'day:date',
    ]);
    expect(names(r.steps[2].output).slice(4)).toEqual(['double:int', 'label:string']);
  });

  it('an unsaved recipe with a broken step: the problem on that step, the others still typed', async () => {
    const yaml = `name: orders
source: {path: small.csv}
steps:
  - step: trim
    columns: [nope]
  - step: cast
    columns: {qty: int}
  - step: dedupe
    keep: sideways
  - step: join
    with: {csv: customers.csv}
    on: [customer]
outputs: []
`;
    const r = await call('pipelines.columns', { name: 'orders', yaml });
    expect(r.steps[0].problem).toMatch(/unknown column "nope"/);
    expect(names(r.steps[1].output)).toContain('qty:int');
    expect(r.steps[2].problem).toMatch(/^keep: /);
    // The join reads the other file's columns (typed as a run types them), not its rows.
    expect(names(r.steps[3].output).slice(-1)).toEqual(['city:string']);
  });

  it('a recipe whose source cannot be read is a clear bad request', async () => {
    const msg = await fail('pipelines.columns', {
      name: 'orders',
      yaml: 'name: orders\nsource: {path: missing.csv}\nsteps: []\noutputs: []\n',
    });
    expect(msg).toMatch(/missing\.csv.*not found/);
  });
});

describe('pipelines.checkExpression', () => {
  it('types an expression against the step’s input columns', async () => {
    const ok = await call('pipelines.checkExpression', {
      name: 'orders',
      step: 4,
      expression: 'year(day) > 2020 and qty > 1',
    });
    expect(ok).toEqual({ type: 'boolean', errors: [] });
  });

  it('marks an unknown column and a type error where they are in the text', async () => {
    const unknown = await call('pipelines.checkExpression', {
      name: 'orders',
      step: 4,
      expression: 'qty > 1 and [cutsomer] = "a"',
    });
    expect(unknown.type).toBeNull();
    expect(unknown.errors).toHaveLength(1);
    const e = unknown.errors[0];
    expect('qty > 1 and [cutsomer] = "a"'.slice(e.from, e.to)).toBe('[cutsomer]');
    expect(e.message).toMatch(/^unknown column "cutsomer"/);
    expect(e.message).not.toMatch(/position/);

    const typed = await call('pipelines.checkExpression', {
      name: 'orders',
      step: 4,
      expression: 'year(customer)',
    });
    expect(typed.errors[0].message).toMatch(/year/);
    // A filter wants true or false.
    const number = await call('pipelines.checkExpression', {
      name: 'orders',
      step: 4,
      expression: 'qty * 2',
    });
    expect(number.type).toBe('int');
    expect(number.errors[0].message).toMatch(/not true or false/);
  });

  it('in a derive, the columns derived before this one are known, those after are not', async () => {
    const later = await call('pipelines.checkExpression', {
      name: 'orders',
      step: 3,
      column: 'label',
      expression: 'double + 1',
    });
    expect(later).toEqual({ type: 'int', errors: [] });
    const first = await call('pipelines.checkExpression', {
      name: 'orders',
      step: 3,
      column: 'double',
      expression: 'label',
    });
    expect(first.errors[0].message).toMatch(/unknown column "label"/);
  });
});

describe('pipelines.joinCounts', () => {
  it('counts matched, left-only and right-only rows over every row before a run', async () => {
    const yaml = `name: orders
source: {path: small.csv}
steps:
  - step: join
    how: left
    with: {csv: customers.csv}
    on: [customer]
outputs: []
`;
    const r = await call('pipelines.joinCounts', { name: 'orders', step: 1, yaml });
    expect(r).toEqual({
      left_rows: 4,
      matched: 3,
      left_only: 1,
      right_only: 1,
      fan_out_rows: 0,
      right_duplicate_keys: 0,
    });
    const msg = await fail('pipelines.joinCounts', { name: 'orders', step: 1 });
    expect(msg).toMatch(/not a join/);
  });
});
