/**
 * Fuzzing the expression language (fast-check, fixed budget; FUZZ_SEED=<n> replays a run, and
 * a failure prints its seed): random text and random well-formed expressions are parsed,
 * type-checked, compiled and evaluated. Nothing may throw but the language's own ExprError,
 * and an error found before any row is read points at a position in the expression.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compileExpr, ExprError } from '../../src-main/engine/expr';
import { fuzz } from '../helpers/fuzz';
import { batchFromRows, numColumn, type Batch, type Field } from '../../src-main/engine/table';

/** Rows with nulls, zeros, empty text, odd text and extreme numbers in every type. */
function table(): Batch {
  const b = batchFromRows(
    ['name', 'qty', 'price', 'day', 'at', 'ok'],
    [
      ['Ann', null, null, null, null, null],
      ['', null, null, null, null, null],
      [null, null, null, null, null, null],
      ["O'Brien \u0000 😀", null, null, null, null, null],
    ],
  );
  const nums: [number, number[], number[]][] = [
    [1, [3, 0, -7, 2 ** 53], [1, 1, 1, 0]],
    [2, [2.5, -0, 1e308, Number.MIN_VALUE], [1, 1, 1, 1]],
    [3, [18262, -1, 2932896, 0], [1, 1, 1, 0]],
    [4, [1.6e12, 0, -8.64e15, 8.64e15], [1, 0, 1, 1]],
    [5, [1, 0, 1, 0], [1, 1, 0, 1]],
  ];
  for (const [ci, values, valid] of nums) {
    const c = numColumn(4);
    c.values.set(values);
    c.valid.set(valid);
    b.columns[ci] = c;
  }
  b.fields = [
    { name: 'name', type: 'string' },
    { name: 'qty', type: 'int' },
    { name: 'price', type: 'decimal' },
    { name: 'day', type: 'date' },
    { name: 'at', type: 'datetime' },
    { name: 'ok', type: 'boolean' },
  ] as Field[];
  return b;
}
const TABLE = table();

let compiled = 0;
let typeErrors = 0;
let runtimeErrors = 0;

/** Compiles and evaluates `src` on every row; only ExprErrors may come out. */
function check(src: string): void {
  let expr;
  try {
    expr = compileExpr(src, TABLE.fields);
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    // Found before any row is read: it says where.
    expect(e.position, e.message).toBeTypeOf('number');
    expect(e.position).toBeGreaterThanOrEqual(0);
    expect(e.position).toBeLessThanOrEqual(src.length);
    typeErrors++;
    return;
  }
  compiled++;
  const f = expr.bind(TABLE);
  for (let i = 0; i < TABLE.length; i++) {
    try {
      const v = f(i);
      expect(v === null || ['string', 'number', 'boolean'].includes(typeof v)).toBe(true);
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      runtimeErrors++;
    }
  }
}

const COLUMNS = ['name', 'qty', 'price', 'day', 'at', 'ok', '[name]', '`qty`', 'nope'];
const FUNCTIONS = [
  'is_null',
  'coalesce',
  'lower',
  'upper',
  'trim',
  'length',
  'abs',
  'round',
  'year',
  'month',
  'day',
  'if',
  'concat',
  'substring',
  'replace',
  'regex_extract',
  'floor',
  'ceil',
  'date',
  'quarter',
  'weekday',
  'week',
  'add_days',
  'diff_days',
  'format_date',
  'contains',
  'starts_with',
  'ends_with',
  'matches',
  'bogus',
];
const literal = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom('0.5', '1e308', '1e-320', '.5', '9007199254740993', '2e400'),
  fc.constantFrom(
    "'2020-02-29'",
    "'x'",
    "''",
    "'(a+)+$'",
    "'[a'",
    "'yyyy'",
    "'\\\\d'",
    "'2020-13-45'",
  ),
  fc.constantFrom('true', 'false', 'null', 'NULL'),
  fc.string({ maxLength: 6 }).map((s) => `'${s.replace(/'/g, "''")}'`),
);

const expression = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    fc.constantFrom(...COLUMNS),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom(
          '+',
          '-',
          '*',
          '/',
          '%',
          '=',
          '==',
          '!=',
          '<>',
          '<',
          '<=',
          '>',
          '>=',
          'and',
          'or',
          '&&',
          '||',
        ),
        tie('e'),
      )
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(fc.constantFrom('not ', '-', '!', ''), tie('e')).map(([op, a]) => `${op}(${a})`),
    fc.tuple(tie('e'), fc.boolean()).map(([a, neg]) => `${a} is ${neg ? 'not ' : ''}null`),
    fc
      .tuple(tie('e'), fc.boolean(), fc.array(tie('e'), { maxLength: 3 }))
      .map(([a, neg, list]) => `${a} ${neg ? 'not ' : ''}in (${list.join(', ')})`),
    fc
      .tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('e'), { maxLength: 4 }))
      .map(([fn, args]) => `${fn}(${args.join(', ')})`),
    fc
      .tuple(
        fc.array(fc.tuple(tie('e'), tie('e')), { minLength: 1, maxLength: 2 }),
        fc.option(tie('e')),
      )
      .map(
        ([whens, other]) =>
          `case ${whens.map(([c, v]) => `when ${c} then ${v}`).join(' ')}${other === null ? '' : ` else ${other}`} end`,
      ),
  ),
})).e;

/** Text made of the language's own pieces, put together badly. */
const tokenSoup = fc
  .array(
    fc.constantFrom(
      '(',
      ')',
      ',',
      "'",
      '"',
      '[',
      ']',
      '`',
      'case',
      'when',
      'then',
      'else',
      'end',
      'not',
      'in',
      'is',
      'null',
      'and',
      'or',
      '+',
      '-',
      '*',
      '/',
      '%',
      '<',
      '<=',
      '=',
      '!',
      '!=',
      '1',
      '1.5e',
      '.',
      'e9',
      'qty',
      'name',
      'day',
      'matches',
      'date',
      'round',
      ' ',
      '\\',
      '\u0000',
    ),
    { maxLength: 24 },
  )
  .map((t) => t.join(''));

afterAll(() => {
  // The figures of this run, for the record.
  console.log(
    `expression fuzz: ${compiled} compiled, ${typeErrors} refused at type check, ${runtimeErrors} runtime errors`,
  );
});

describe('expression language fuzzing', () => {
  it('random text: parse, check and compile throw nothing but positioned ExprErrors', async () => {
    await fuzz(
      'expression text',
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ unit: 'binary', maxLength: 20 }),
          tokenSoup,
        ),
        (src) => check(src),
      ),
      4000,
      7_000,
    );
  });
  it('random well-formed expressions: only ExprErrors, at type check or on a row', async () => {
    await fuzz('well-formed expressions', fc.property(expression, check), 3000, 7_000);
    // The generator reaches both sides: some expressions type-check, some do not.
    expect(compiled).toBeGreaterThan(100);
    expect(typeErrors).toBeGreaterThan(100);
  });
  it('deep nesting and long chains are refused or computed, never a stack overflow', () => {
    for (const n of [10, 1_000, 20_000]) {
      check('('.repeat(n) + '1' + ')'.repeat(n));
      check('-'.repeat(n) + '1');
      check('not '.repeat(n) + 'ok');
      check(Array.from({ length: n }, () => 'qty').join(' + '));
      check(`concat(${Array.from({ length: n }, () => 'name').join(', ')})`);
      check('case when ok then 1 '.repeat(Math.min(n, 2000)) + 'end');
    }
  });
});
