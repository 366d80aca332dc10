/**
 * Column names and cell values that are also names of Object.prototype's members (__proto__,
 * constructor, toString, hasOwnProperty, valueOf) must behave like any other name: every step
 * kind gives the same result on a table whose columns are called that as on one with plain
 * names, and rejected rows keep every column.
 */
import { describe, expect, it } from 'vitest';
import { runSteps } from '../helpers/engine';
import { STEPS } from '../../src-main/engine/steps/index';
import { batchFromRows, numColumn, type Batch } from '../../src-main/engine/table';

const ROLES = ['id', 'name', 'qty', 'day', 'price'] as const;
type Role = (typeof ROLES)[number];
const PLAIN: Record<Role, string> = {
  id: 'id',
  name: 'name',
  qty: 'qty',
  day: 'day',
  price: 'price',
};
const ODD: Record<Role, string> = {
  id: '__proto__',
  name: 'constructor',
  qty: 'toString',
  day: 'hasOwnProperty',
  price: 'valueOf',
};
type Names = Record<Role, string>;

/** An object with exactly these own keys (computed keys never hit the __proto__ setter). */
const obj = (entries: [string, unknown][]): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true });
  return o;
};

const typed = (n: Names) => ({
  step: 'cast',
  columns: obj([
    [n.id, 'int'],
    [n.qty, 'int'],
    [n.day, 'date'],
    [n.price, 'decimal'],
  ]),
  on_error: 'null',
});

const side = (n: Names): Batch => {
  const b = batchFromRows([n.id, 'label'], [[null, 'x']]);
  const id = numColumn(1);
  id.values[0] = 1;
  id.valid[0] = 1;
  b.columns[0] = id;
  b.fields = [
    { name: n.id, type: 'int' },
    { name: 'label', type: 'string' },
  ];
  return b;
};

// Cell values that are also member names: lookups by value (replace, pivot) must not trip.
const ODD_VALUES = obj([
  ['__proto__', 'P'],
  ['constructor', 'C'],
  ['hasOwnProperty', 'H'],
]);

const CASES: Record<string, (n: Names) => unknown[]> = {
  trim: () => [{ step: 'trim' }],
  nullify: () => [{ step: 'nullify', tokens: ['toString'] }],
  cast: (n) => [{ step: 'cast', columns: obj([[n.name, 'string']]) }],
  parse_dates: (n) => [
    { step: 'parse_dates', columns: [n.name], formats: ['yyyy-MM-dd'], on_invalid: 'null' },
  ],
  parse_numbers: (n) => [{ step: 'parse_numbers', columns: [n.name], on_invalid: 'null' }],
  dedupe: (n) => [{ step: 'dedupe', key: [n.id], keep: 'last' }],
  fill_missing: (n) => [
    {
      step: 'fill_missing',
      columns: obj([
        [n.qty, 'median'],
        [n.name, 'backward_fill'],
        [n.id, { constant: 0 }],
      ]),
    },
  ],
  validate: (n) => [
    {
      step: 'validate',
      rules: [
        { column: n.name, not_null: true, on_invalid: 'flag' },
        { column: n.name, regex: '^[a-z_]+$', on_invalid: 'reject' },
      ],
    },
  ],
  filter: (n) => [{ step: 'filter', where: `[${n.qty}] > 0 or [${n.qty}] is null` }],
  rename: (n) => [
    {
      step: 'rename',
      columns: obj([
        [n.name, 'label'],
        [n.id, 'ident'],
      ]),
    },
    // And back again: renaming *to* these names works too.
    {
      step: 'rename',
      columns: obj([
        ['label', n.name],
        ['ident', n.id],
      ]),
    },
  ],
  select: (n) => [{ step: 'select', columns: [n.qty, n.id] }],
  drop: (n) => [{ step: 'drop', columns: [n.price] }],
  replace: (n) => [
    { step: 'replace', columns: [n.name], values: ODD_VALUES },
    { step: 'replace', columns: [n.name], regex: '^(to)S', with: '$1s' },
  ],
  case: (n) => [{ step: 'case', columns: [n.name], to: 'title' }],
  derive: (n) => [
    {
      step: 'derive',
      columns: obj([
        ['total', `[${n.qty}] * [${n.price}]`],
        ['y', `year([${n.day}])`],
        [n.id, `[${n.id}] + 1`],
        [n.name, `concat([${n.name}], '!')`],
        ['m', `matches([${n.name}], '^c')`],
      ]),
    },
  ],
  aggregate: (n) => [
    {
      step: 'aggregate',
      group_by: [n.name],
      aggregations: [
        { column: n.qty, fn: 'sum' },
        { fn: 'count' },
        { column: n.price, fn: 'max', as: n.id },
      ],
    },
  ],
  join: (n) => [{ step: 'join', how: 'full', with: { pipeline: 'side' }, on: [n.id] }],
  sort: (n) => [{ step: 'sort', by: [n.day, { column: n.qty, order: 'desc' }] }],
  limit: () => [{ step: 'limit', rows: 2 }],
  date_parts: (n) => [
    { step: 'date_parts', column: n.day, days_between: { to: n.day, as: 'zero' } },
  ],
  sample: () => [{ step: 'sample', rows: 2 }],
  union: () => [{ step: 'union', with: { pipeline: 'side' }, source_column: 'src' }],
  pivot: (n) => [
    {
      step: 'pivot',
      index: [n.day],
      columns: n.name,
      column_values: ['__proto__', 'constructor', 'toString', 'a'],
      values: n.qty,
    },
  ],
  unpivot: (n) => [{ step: 'unpivot', keep: [n.id], columns: [n.qty, n.price] }],
  window: (n) => [
    {
      step: 'window',
      partition_by: [n.name],
      order_by: [n.day],
      functions: [
        { fn: 'rank', as: 'r' },
        { fn: 'lag', column: n.qty, as: 'prev' },
      ],
    },
  ],
  normalize: (n) => [
    { step: 'normalize', columns: [n.price], method: 'robust' },
    {
      step: 'normalize',
      columns: [n.qty],
      stats: obj([[n.qty, { center: 1, scale: 2 }]]),
      in_place: true,
    },
  ],
};

const ROWS: (string | null)[][] = [
  ['1', '__proto__', '3', '2020-02-29', '9.99'],
  ['1', 'constructor', '-1', '2021-01-01', '1.00'],
  ['2', 'toString', null, null, null],
  ['3', 'hasOwnProperty', '5', '2020-01-01', '2'],
  ['4', 'a', '7', '2020-01-02', 'x'],
  [null, null, '0', '2019-12-31', '3'],
];

/** The odd-named counterpart of a plain output name (`qty_sum` -> `toString_sum`). */
const oddName = (s: string): string => {
  for (const r of ROLES) {
    if (s === r) return ODD[r];
    if (s.startsWith(`${r}_`)) return ODD[r] + s.slice(r.length);
  }
  return s;
};

const run = (kind: string, n: Names) =>
  runSteps(
    [typed(n), ...CASES[kind](n)],
    ROLES.map((r) => n[r]),
    ROWS,
    2,
    { side: side(n) },
  );

describe('columns named like Object.prototype members', () => {
  it('has a case for every step kind', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(STEPS).sort());
  });
  for (const kind of Object.keys(CASES)) {
    it(`${kind} gives the same result as with plain names`, () => {
      const plain = run(kind, PLAIN);
      const odd = run(kind, ODD);
      expect(odd.columns).toEqual(plain.columns.map(oddName));
      expect(odd.types).toEqual(plain.types);
      // unpivot writes column names into cells.
      expect(odd.rows).toEqual(plain.rows.map((r) => r.map((v) => (v === null ? v : oddName(v)))));
      const counts = (rs: typeof plain.reports) =>
        rs.map((s) => [s.rowsIn, s.rowsOut, s.rowsRejected, s.rowsRemoved, s.cellsChanged]);
      expect(counts(odd.reports)).toEqual(counts(plain.reports));
      for (const [p, o] of [
        [plain.rejects, odd.rejects],
        [plain.removed, odd.removed],
      ] as const) {
        expect(o.map((r) => Object.keys(r.record))).toEqual(
          p.map((r) => Object.keys(r.record).map(oddName)),
        );
      }
    });
  }
  it('replace by value maps cells called __proto__ and constructor', () => {
    const r = runSteps(
      [{ step: 'replace', columns: ['v'], values: ODD_VALUES }],
      ['v'],
      [['__proto__'], ['constructor'], ['toString'], ['valueOf']],
    );
    expect(r.rows).toEqual([['P'], ['C'], ['toString'], ['valueOf']]);
    expect(r.reports[0].cellsChanged).toBe(2);
  });
  it('derive makes a column called __proto__ and rename renames one', () => {
    const r = runSteps(
      [
        { step: 'derive', columns: obj([['__proto__', "concat(v, '!')"]]) },
        { step: 'rename', columns: obj([['constructor', 'c']]) },
      ],
      ['v', 'constructor'],
      [['a', 'b']],
    );
    expect(r.columns).toEqual(['v', 'c', '__proto__']);
    expect(r.rows).toEqual([['a', 'b', 'a!']]);
  });
  it('a rejected row keeps its __proto__ column', () => {
    const r = runSteps(
      [{ step: 'validate', rules: [{ column: 'x', not_null: true }] }],
      ['__proto__', 'x'],
      [['kept', null]],
    );
    expect(r.rejects).toHaveLength(1);
    expect(Object.hasOwn(r.rejects[0].record, '__proto__')).toBe(true);
    expect(r.rejects[0].record['__proto__']).toBe('kept');
    expect(JSON.parse(JSON.stringify(r.rejects[0].record))).toEqual(
      JSON.parse('{"__proto__": "kept", "x": null}'),
    );
  });
});
