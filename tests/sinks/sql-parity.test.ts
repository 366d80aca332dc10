/**
 * Parity of the SQL compiler with the local engine: every step kind that compiles runs both ways
 * over the same rows (edge cases and generated ones) on the real PostgreSQL server, and the two
 * outputs must be equal value for value, in the same order, nulls included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Step, type StepKind } from '../../src-shared/recipe/steps';
import { SQL_STEP_KINDS } from '../../src-main/engine/sql/compile';
import type { Field, Value } from '../../src-main/engine/table';
import { daysFromCivil, MS_PER_DAY } from '../../src-main/engine/dates';
import { bothWays, type Table } from '../helpers/sql-parity';

const covered = new Set<StepKind>();

/** Parses steps as a recipe would (defaults filled in). */
function steps(...raw: unknown[]): Step[] {
  return raw.map((s) => Step.parse(s));
}

async function same(
  rawSteps: unknown[],
  input: Table,
  sides: Map<string, Table> = new Map(),
): Promise<Value[][]> {
  const st = steps(...rawSteps);
  for (const s of st) covered.add(s.step);
  const out = await bothWays(st, input, sides);
  expect(out.compiled.fields).toEqual(out.fields);
  expect(
    out.sql,
    `${JSON.stringify(rawSteps)}\n${out.fields.map((f) => f.name).join(', ')}`,
  ).toEqual(out.local);
  return out.local;
}

const text = (...names: string[]): Field[] => names.map((name) => ({ name, type: 'string' }));
const col = (values: (string | null)[]): Value[][] => values.map((v) => [v]);

/** Awkward text: spaces of every kind, tokens, numbers in many spellings, dates, Unicode. */
const MESSY = [
  null,
  '',
  ' ',
  '  a  b  ',
  '\u00a0x\u00a0',
  '\ufeffBOM',
  '\t\ttab\n',
  'N/A',
  'n/a',
  ' null ',
  '#N/A',
  'NA',
  'straße',
  'Ünïcödé',
  'ΟΔΥΣΣΕΥΣ',
  'emoji 😀 ok',
  "it's",
  '12',
  '-3.5',
  '+7',
  '1e3',
  '1.',
  '.5',
  '$1,234.50',
  '(12.00)',
  '-€3',
  '45%',
  'USD 12',
  '12 EUR',
  '1,23',
  '1.234,5',
  '1,2345',
  '00123',
  '9007199254740993',
  '0x10',
  'abc',
  '2020-02-29',
  '2021-02-29',
  '1/2/2016',
  '12/31/1999',
  '31.12.1999',
  '2016-01-05T10:20:30',
  '2016-01-05 10:20:30.5',
  'Jan 5, 2016',
  'true',
  'Yes',
  'f',
];

describe('SQL compiler parity with the local engine', () => {
  it('trim, with and without collapsing spaces', async () => {
    const input = { fields: text('a'), rows: col(MESSY) };
    await same([{ step: 'trim' }], input);
    await same([{ step: 'trim', collapse_spaces: true }], input);
  });

  it('nullify: empties, whitespace and tokens, folded or not', async () => {
    const input = { fields: text('a'), rows: col(MESSY) };
    await same([{ step: 'nullify' }], input);
    await same([{ step: 'nullify', tokens: ['N/A', 'Yes'], case_sensitive: true }], input);
    await same([{ step: 'nullify', tokens: [] }], input);
  });

  it('replace whole values, including to null', async () => {
    const input = { fields: text('a'), rows: col(MESSY) };
    await same(
      [{ step: 'replace', columns: 'all', values: { 'N/A': null, '12': 'twelve', '': 'empty' } }],
      input,
    );
  });

  it('case: upper, lower and title as JavaScript maps them', async () => {
    const input = { fields: text('a'), rows: col(MESSY) };
    await same([{ step: 'case', columns: ['a'], to: 'upper' }], input);
    await same([{ step: 'case', columns: ['a'], to: 'lower' }], input);
    const titles = [
      ...MESSY,
      "o'neil-smith (jr)/ceo",
      'ÉCOLE élève',
      'straße ßtraße',
      'ΌΣΟΣ όσος',
      '  two  spaces\u00a0nbsp\u3000ideo',
      'x1y 2z _under',
      '𝒳 astral 𝐀bc',
      '--a',
      "'quoted'",
    ];
    await same([{ step: 'case', columns: ['a'], to: 'title' }], {
      fields: text('a'),
      rows: col(titles),
    });
  });

  it('parse_numbers in every format, rejecting or nulling', async () => {
    const input = { fields: text('a'), rows: col(MESSY) };
    for (const fmt of [
      {},
      { decimal: ',', thousands: '.' },
      { decimal: ',', thousands: '' },
      { thousands: '' },
      { thousands: ' ', percent: false },
      { thousands: "'" },
    ]) {
      await same([{ step: 'parse_numbers', columns: ['a'], on_invalid: 'null', ...fmt }], input);
      await same([{ step: 'parse_numbers', columns: ['a'], ...fmt }], input);
      await same([{ step: 'parse_numbers', columns: ['a'], type: 'int', ...fmt }], input);
    }
  });

  it('parse_dates with several formats, each guarded by its shape', async () => {
    const input = { fields: text('a'), rows: col(MESSY) };
    const formats = ['yyyy-MM-dd', 'M/d/yyyy', 'dd.MM.yyyy', 'MMM d, yyyy'];
    await same([{ step: 'parse_dates', columns: ['a'], formats }], input);
    await same([{ step: 'parse_dates', columns: ['a'], formats, on_invalid: 'null' }], input);
    await same(
      [
        {
          step: 'parse_dates',
          columns: ['a'],
          formats: ["yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm:ss.SSS', 'yyyy-MM-dd'],
          output: 'datetime',
          on_invalid: 'null',
        },
      ],
      input,
    );
  });

  it('parse_dates written back as text with output_format; format_date and replace()', async () => {
    const dates = [
      ...MESSY,
      '0000-01-01',
      '0001-12-31 23:59:59.999',
      '9999-12-31',
      '1969-12-31 00:00:00.5',
      '2024-02-29 12:00:00',
      '2024-03-05 00:07:09.040',
      '2024-11-15 13:45:00',
    ];
    const input = { fields: text('a'), rows: col(dates) };
    const formats = ['yyyy-MM-dd HH:mm:ss.SSS', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', 'M/d/yyyy'];
    const outputs = [
      'dd/MM/yyyy',
      "MMMM d, yyyy 'at' h:mm a",
      'yy-M-d H:m:s.SSS',
      "MMM dd yyyy HH'h'mm",
      "yyyy'年'M'月'd'日' hh:mm:ss a",
    ];
    for (const output of ['date', 'datetime'])
      for (const output_format of outputs)
        for (const on_invalid of ['reject', 'null'])
          await same(
            [{ step: 'parse_dates', columns: ['a'], formats, output, output_format, on_invalid }],
            input,
          );
    // format_date renders any text around its tokens, a pattern without a day or with an
    // unclosed quote included, as the engine does.
    const patterns = ['dd/MM/yyyy', 'MMM yyyy', "h a 'o''clock", 'yyyyMMddHHmmssSSS', "EEE 'x"];
    const derive = Object.fromEntries(
      patterns.flatMap((p, k) => [
        [`d${k}`, `format_date(d, '${p.replace(/'/g, "\\'")}')`],
        [`t${k}`, `format_date(t, '${p.replace(/'/g, "\\'")}')`],
      ]),
    );
    await same([{ step: 'derive', columns: derive }], TYPED);
    // replace() of a literal: every occurrence, left to right, overlapping ones once.
    const input2 = { fields: text('a'), rows: col([...MESSY, 'aaaa', 'a.b.c', 'ÅÅå']) };
    await same(
      [
        {
          step: 'derive',
          columns: {
            r1: "replace(a, 'a', 'xy')",
            r2: "replace(a, 'aa', 'b')",
            r3: "replace(a, '.', '')",
            r4: "replace(a, 'Å', a)",
            r5: "replace(a, ' ', null)",
          },
        },
      ],
      input2,
    );
  });

  it('cast text with on_error: keep (the column stays text, converted values canonical)', async () => {
    const input = {
      fields: text('a', 'b'),
      rows: MESSY.map((v, i) => [v, MESSY[(i * 7) % MESSY.length]]),
    };
    for (const to of ['int', 'float', 'decimal', 'boolean', 'date', 'datetime'])
      await same([{ step: 'cast', columns: { a: to, b: 'float' }, on_error: 'keep' }], input);
  });

  it('parse_numbers and cast at the edges of the quick paths', async () => {
    const edges = [
      '$-3',
      '-$1,234.50',
      '$1,234',
      '1,234.',
      '12,34',
      '1,23,456',
      '-0',
      '$.5',
      ' $ 5 ',
      '\u00a0$12\u2003',
      '\u3000-7\u205f',
      '12345678901234567890',
      '1' + '0'.repeat(299),
      '0.' + '0'.repeat(297) + '1',
      '1e300',
      '-1E5',
      '$$5',
      '(−5)',
      '',
    ];
    // (Beyond 1e300 and below 1e-300 SQL gives null: docs/sql-engine.md.)
    const input = { fields: text('a'), rows: col([...MESSY, ...edges]) };
    await same([{ step: 'parse_numbers', columns: ['a'], on_invalid: 'null' }], input);
    await same([{ step: 'parse_numbers', columns: ['a'], thousands: '' }], input);
    for (const to of ['int', 'float'])
      await same([{ step: 'cast', columns: { a: to }, on_error: 'null' }], input);
  });

  it('parse_dates: wrong shapes and impossible days are rejects or nulls, never errors', async () => {
    const edges = [
      '13/1/2020',
      '2/30/2020',
      '2/29/2020',
      '2/29/2100',
      '1/1/0000',
      '01-31-2020',
      '1-31-2020',
      '04-31-2020',
      '12/31/99',
      '1/2/2016 ',
      '\u00a01/2/2016',
      '1//2016',
      '/1/2016',
      '20200131',
      '20200230',
      '2020013',
      '202001311530',
      '3/4/21 1:05 PM',
      '3/4/21 12:05 am',
      '3/4/21 13:05 pm',
      '5 March 2020',
      '5 Mar 2020',
      '5 Marc 2020',
      '31.04.2020',
      '',
    ];
    const input = { fields: text('a'), rows: col([...MESSY, ...edges]) };
    // Formats cut apart by split_part and fixed widths, and one (parts of varying width side by
    // side) that keeps regexp_match.
    const formats = [
      'M/d/yyyy',
      'MM-dd-yyyy',
      'yyyyMMdd',
      'd MMMM yyyy',
      'dd.MM.yyyy',
      'M/d/yy',
      'yyyyMd',
    ];
    await same([{ step: 'parse_dates', columns: ['a'], formats }], input);
    await same([{ step: 'parse_dates', columns: ['a'], formats, on_invalid: 'null' }], input);
    await same(
      [
        {
          step: 'parse_dates',
          columns: ['a'],
          formats: ['M/d/yy h:mm a', 'yyyyMMddHHmm', 'M/d/yyyy'],
          output: 'datetime',
          on_invalid: 'null',
        },
      ],
      input,
    );
  });

  it('cast text to every type, with reject and null', async () => {
    const input = { fields: text('a'), rows: col(MESSY) };
    for (const to of ['int', 'float', 'decimal', 'boolean', 'date', 'datetime'])
      for (const on_error of ['reject', 'null'])
        await same([{ step: 'cast', columns: { a: to }, on_error }], input);
  });

  it('cast between typed columns, and typed values to text', async () => {
    for (const [from, to] of [
      ['n', 'int'],
      ['n', 'boolean'],
      ['n', 'string'],
      ['i', 'float'],
      ['i', 'string'],
      ['b', 'int'],
      ['b', 'string'],
      ['d', 'datetime'],
      ['d', 'string'],
      ['t', 'date'],
      ['t', 'string'],
    ])
      for (const on_error of ['reject', 'null'])
        await same([{ step: 'cast', columns: { [from]: to }, on_error }], TYPED);
  });

  it('dedupe by key or whole rows, keeping first, last or none', async () => {
    for (const keep of ['first', 'last', 'none']) {
      await same([{ step: 'dedupe', key: ['s'], keep }], TYPED);
      await same([{ step: 'dedupe', key: ['b', 'd'], keep }], TYPED);
      await same([{ step: 'dedupe', keep }], TYPED);
    }
  });

  it('fill_missing with every strategy, drop first', async () => {
    await same(
      [
        {
          step: 'fill_missing',
          columns: {
            s: 'forward_fill',
            n: 'mean',
            i: 'median',
            b: 'backward_fill',
            d: 'mode',
            t: { constant: '2000-01-02T03:04:05' },
          },
        },
      ],
      TYPED,
    );
    await same(
      [
        {
          step: 'fill_missing',
          columns: { b: 'drop', s: 'forward_fill', i: 'backward_fill', n: { constant: 7 } },
        },
      ],
      TYPED,
    );
    await same(
      [
        {
          step: 'fill_missing',
          columns: { s: 'mode', i: 'mean', n: 'median', d: { constant: '2020-02-02' } },
        },
      ],
      TYPED,
    );
  });

  it('filter and derive: operators, null rules and functions', async () => {
    const wheres = [
      'n > 1',
      'n >= i and b',
      'not b or s == "a"',
      's in ("a", "B", null)',
      's not in ("a")',
      'n is null or i is not null',
      'd > "2020-01-01"',
      'd < date("2000-01-01") or t >= "2016-01-01T00:00:00"',
      'i % 3 == 1',
      'n / 0 is null',
      'i',
      's',
      'contains(s, "b") or starts_with(s, "x") or ends_with(s, "Z")',
      'length(s) > 2',
      'year(d) == 2020 and month(d) < 6',
      'weekday(t) == 5 or week(d) == 1 or quarter(d) == 4',
    ];
    for (const where of wheres) await same([{ step: 'filter', where }], TYPED);
    await same(
      [
        {
          step: 'derive',
          columns: {
            x: 'n * 2 + i - 1',
            y: 'if(b, upper(s), lower(s))',
            z: 'case when n > 1 then "big" when n is null then null else "small" end',
            w: 'coalesce(s, "none")',
            c: 'concat(s, "-", i, "-", d, "-", b)',
            r: 'round(n, 1) + abs(i) + floor(n) + ceil(n)',
            a: 'add_days(d, 30)',
            a2: 'add_days(t, -1)',
            dd: 'diff_days(t, d)',
            q: 'trim(s)',
            l: 'length(s)',
            nn: 'x / i',
            s: 'upper(s)',
          },
        },
      ],
      TYPED,
    );
  });

  it('sample by fraction and by rows: the same seeded draws, the same rows kept', async () => {
    // 600 rows: enough draws for every branch of the 32-bit arithmetic, and slots taken over
    // several times in a reservoir.
    const many: Table = {
      fields: [
        { name: 'i', type: 'int' },
        { name: 's', type: 'string' },
      ],
      rows: Array.from({ length: 600 }, (_, i) => [i, `r${i % 7}`]),
    };
    for (const seed of [1, 0, 42, -5, 2 ** 31 - 1, 123456789])
      for (const fraction of [0, 0.1, 0.5, 0.999, 1]) {
        const out = await same([{ step: 'sample', fraction, seed }], many);
        if (fraction === 0.5) expect(out.length).toBeGreaterThan(200);
      }
    for (const seed of [1, 7, -3, 2 ** 31 - 1])
      for (const rows of [0, 1, 5, 100, 599, 600, 1000])
        expect((await same([{ step: 'sample', rows, seed }], many)).length).toBe(
          Math.min(rows, 600),
        );
    // After a filter: the draws follow the rows the step is given, not the source's numbers.
    await same(
      [
        { step: 'filter', where: 'i % 3 <> 0' },
        { step: 'sample', rows: 20, seed: 9 },
      ],
      many,
    );
    await same([{ step: 'sample', fraction: 0.3, seed: 5 }], TYPED);
  });

  it('select, rename, drop, sort and limit', async () => {
    await same([{ step: 'select', columns: ['t', 's'] }], TYPED);
    await same([{ step: 'rename', columns: { s: 'name', n: 'amount' } }], TYPED);
    await same([{ step: 'drop', columns: ['b'] }], TYPED);
    await same([{ step: 'sort', by: ['s'] }], TYPED);
    await same(
      [
        { step: 'sort', by: [{ column: 'n', order: 'desc', nulls: 'first' }, 'd'] },
        { step: 'limit', rows: 4, offset: 2 },
      ],
      TYPED,
    );
    await same(
      [
        {
          step: 'sort',
          by: [
            { column: 'b', order: 'desc' },
            { column: 't', nulls: 'first' },
          ],
        },
      ],
      TYPED,
    );
    await same([{ step: 'limit', rows: 0 }], TYPED);
  });

  it('aggregate with every function, by groups with nulls and without groups', async () => {
    const aggregations = ['count', 'count_distinct', 'sum', 'min', 'max', 'first', 'last', 'median']
      .flatMap((fn) => ['n', 'i', 'b'].map((column) => ({ column, fn, as: `${column}_${fn}` })))
      .concat([
        { fn: 'count', as: 'rows' } as never,
        { column: 's', fn: 'min', as: 's_min' } as never,
        { column: 's', fn: 'max', as: 's_max' } as never,
        { column: 'd', fn: 'last', as: 'd_last' } as never,
        { column: 't', fn: 'first', as: 't_first' } as never,
        { column: 's', fn: 'count_distinct', as: 's_nd' } as never,
      ]);
    await same([{ step: 'aggregate', group_by: ['s'], aggregations }], TYPED);
    await same([{ step: 'aggregate', group_by: ['b', 'd'], aggregations }], TYPED);
    await same([{ step: 'aggregate', aggregations }], TYPED);
    await same(
      [
        { step: 'filter', where: 'false' },
        { step: 'aggregate', aggregations },
      ],
      TYPED,
    );
  });

  it('aggregate, pivot and fill_missing: mean, std and var the same float, bit for bit', async () => {
    const stats = ['mean', 'std', 'var'].map((fn) => ({ column: 'n', fn }));
    await same([{ step: 'aggregate', group_by: ['s'], aggregations: stats }], TYPED);
    // Generated groups of decimals as a CSV holds them (prices, rates): a mean or a variance
    // accumulated in any other order or by any other method differs in the last bits for
    // some of them, and round(…, 6) then lands either side of a tie.
    const rate = fc
      .tuple(fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 6 }))
      .map(([m, e]) => m / 10 ** e);
    const rows = fc.array(fc.tuple(fc.constantFrom('CAD', 'GBP', 'EUR', null), rate), {
      minLength: 40,
      maxLength: 200,
    });
    const runs = fc.sample(rows, { numRuns: 6, seed: Number(process.env.FUZZ_SEED ?? 19) });
    const fields: Field[] = [
      { name: 's', type: 'string' },
      { name: 'n', type: 'float' },
    ];
    for (const r of runs) {
      // Every tenth value missing, for fill_missing to fill.
      const input = { fields, rows: r.map(([s, n], i) => [s, i % 10 === 3 ? null : n]) };
      await same(
        [
          { step: 'aggregate', group_by: ['s'], aggregations: stats },
          { step: 'derive', columns: { r: 'round(n_mean, 6)' } },
        ],
        input,
      );
      await same([{ step: 'aggregate', aggregations: stats }], input);
      await same(
        [
          {
            step: 'pivot',
            index: [],
            columns: 's',
            values: 'n',
            column_values: ['CAD', 'GBP'],
            fn: 'mean',
          },
        ],
        input,
      );
      await same([{ step: 'fill_missing', columns: { n: 'mean' } }], input);
    }
  });

  it('validate: rules in order, each on what the rules before it left', async () => {
    await same(
      [
        {
          step: 'validate',
          rules: [
            { column: 'n', range: { min: 0, max: 100 }, on_invalid: 'null' },
            { column: 's', allowed: ['a', 'b', 'B'], on_invalid: 'replace', replacement: 'b' },
            { column: 's', unique: true, on_invalid: 'flag' },
            { column: 'i', unique: true, not_null: true },
            { column: 'd', range: { min: 10957 } },
            { column: 'b', allowed: [true], on_invalid: 'flag' },
          ],
        },
      ],
      TYPED,
    );
    await same(
      [
        {
          step: 'validate',
          rules: [
            { column: 'a', email: true, on_invalid: 'flag' },
            { column: 'a', not_null: true, unique: true },
          ],
        },
      ],
      {
        fields: text('a'),
        rows: col(['x@y.io', 'bad@', null, 'x@y.io', 'A.B+c@d-e.org', 'a@b.c', 'a@b.cd ']),
      },
    );
  });

  it('date_parts of dates and datetimes (before 1970 too), and days between', async () => {
    await same([{ step: 'date_parts', column: 'd', days_between: { to: 't', as: 'gap' } }], TYPED);
    await same(
      [
        {
          step: 'date_parts',
          column: 't',
          prefix: 'at_',
          parts: ['year', 'month', 'day', 'weekday', 'quarter', 'week', 'hour', 'minute'],
        },
      ],
      TYPED,
    );
  });

  it('window functions over partitions, ties and nulls', async () => {
    await same(
      [
        {
          step: 'window',
          partition_by: ['b'],
          order_by: [
            { column: 'd', nulls: 'first' },
            { column: 's', order: 'desc' },
          ],
          functions: [
            { fn: 'row_number', as: 'rn' },
            { fn: 'rank', as: 'rk' },
            { fn: 'lag', column: 's', as: 'prev_s' },
            { fn: 'lead', column: 't', as: 'next_t', offset: 2 },
            { fn: 'running_sum', column: 'n', as: 'sum_n' },
            { fn: 'running_mean', column: 'i', as: 'mean_i' },
          ],
        },
      ],
      TYPED,
    );
    await same(
      [
        {
          step: 'window',
          order_by: ['s'],
          functions: [
            { fn: 'rank', as: 'rk' },
            { fn: 'lag', column: 'b', as: 'prev_b' },
          ],
        },
      ],
      TYPED,
    );
  });

  it('pivot with every function, and unpivot of one type or mixed', async () => {
    for (const fn of ['sum', 'count', 'count_distinct', 'min', 'max', 'first', 'last', 'median'])
      await same(
        [
          {
            step: 'pivot',
            index: ['b'],
            columns: 's',
            column_values: ['a', 'B', 'abc', 'x'],
            values: 'i',
            fn,
          },
        ],
        TYPED,
      );
    await same([{ step: 'pivot', columns: 'i', column_values: [1, '3', 10], values: 'n' }], TYPED);
    await same([{ step: 'unpivot', keep: ['s'], columns: ['n', 'i'] }], TYPED);
    await same([{ step: 'unpivot', keep: ['s', 'b'], name: 'what', value: 'v' }], TYPED);
  });

  it('join every way, and union', async () => {
    const sides = new Map([['pipeline other', OTHER]]);
    for (const how of ['inner', 'left', 'right', 'full', 'semi', 'anti'])
      await same([{ step: 'join', with: { pipeline: 'other' }, on: ['s'], how }], TYPED, sides);
    await same(
      [
        {
          step: 'join',
          with: { pipeline: 'other' },
          on: [{ left: 'i', right: 'k' }, 's'],
          how: 'full',
        },
      ],
      TYPED,
      sides,
    );
    await same([{ step: 'union', with: { pipeline: 'other' } }], TYPED, sides);
    await same(
      [{ step: 'union', with: { pipeline: 'other' }, source_column: 'src', label: 'mine' }],
      TYPED,
      sides,
    );
  });

  it('chains of steps over generated text (fast-check)', async () => {
    const cell = fc.oneof(
      fc.constantFrom(...MESSY),
      fc.string({ maxLength: 8 }),
      fc.stringMatching(/^ ?[-(]?\$?\d{1,4}(,\d{3})?(\.\d{0,2})?%?\)? ?$/),
      fc.stringMatching(/^\d{1,2}\/\d{1,2}\/(19|20)\d\d$/),
    );
    const table = fc.array(fc.tuple(cell, cell), { minLength: 0, maxLength: 25 });
    const runs = fc.sample(table, { numRuns: 12, seed: Number(process.env.FUZZ_SEED ?? 19) });
    for (const rows of runs)
      await same(
        [
          { step: 'trim' },
          { step: 'nullify' },
          { step: 'dedupe', key: ['a'], keep: 'last' },
          { step: 'parse_numbers', columns: ['a'], on_invalid: 'null' },
          {
            step: 'parse_dates',
            columns: ['b'],
            formats: ['M/d/yyyy', 'yyyy-MM-dd'],
            on_invalid: 'null',
          },
          { step: 'fill_missing', columns: { a: 'forward_fill', b: 'backward_fill' } },
          { step: 'filter', where: 'a is null or a >= 0' },
          { step: 'derive', columns: { c: 'a * 2', y: 'year(b)' } },
          { step: 'sort', by: [{ column: 'a', order: 'desc' }, 'b'] },
        ],
        { fields: text('a', 'b'), rows },
      );
  });

  it('covers every step kind the compiler claims', () => {
    expect([...covered].sort()).toEqual([...SQL_STEP_KINDS].sort());
  });
});

const day = (y: number, m: number, d: number): number => daysFromCivil(y, m, d);
const at = (y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  day(y, m, d) * MS_PER_DAY + h * 3_600_000 + mi * 60_000 + s * 1000 + ms;

/** Typed columns with repeats, nulls, ties, negatives and fractions. */
const TYPED: Table = {
  fields: [
    { name: 's', type: 'string' },
    { name: 'n', type: 'float' },
    { name: 'i', type: 'int' },
    { name: 'b', type: 'boolean' },
    { name: 'd', type: 'date' },
    { name: 't', type: 'datetime' },
  ],
  rows: [
    ['a', 1.5, 1, true, day(2020, 1, 1), at(2016, 1, 5, 10, 20, 30)],
    ['B', -2.25, 4, false, day(2020, 6, 30), at(2016, 1, 1)],
    [null, null, null, null, null, null],
    ['a', 1.5, 1, true, day(2020, 1, 1), at(2016, 1, 5, 10, 20, 30)],
    ['abc', 0.1, -7, true, day(1999, 12, 31), at(1969, 12, 31, 23, 59, 59, 999)],
    [' x ', 1e-7, 10, null, day(2020, 1, 1), null],
    ['b', 123456789.125, 0, false, null, at(2020, 2, 29, 12)],
    ['', 3, 3, true, day(1900, 3, 1), at(2000, 1, 1, 0, 0, 0, 5)],
    ['a', null, 1, false, day(2024, 12, 30), at(2016, 1, 1)],
    ['Z', 1e21, -3, null, day(2020, 10, 1), at(2021, 7, 4, 6)],
    ['straße', 0.5, 9007199254740991, false, day(1970, 1, 1), at(1970, 1, 1)],
    [null, 2.5, 2, true, day(2020, 1, 1), null],
    ['b', -0.5, 3, true, day(2020, 6, 30), at(2016, 1, 5, 10, 20, 30)],
  ],
};

const OTHER: Table = {
  fields: [
    { name: 's', type: 'string' },
    { name: 'k', type: 'int' },
    { name: 'n', type: 'string' },
    { name: 'extra', type: 'date' },
  ],
  rows: [
    ['a', 1, 'one', day(2001, 1, 1)],
    ['a', 2, 'two', null],
    ['zzz', 5, null, day(2002, 2, 2)],
    [null, 1, 'null key', null],
    ['B', 4, 'bee', day(2003, 3, 3)],
  ],
};
