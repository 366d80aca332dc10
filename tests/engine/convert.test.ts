/**
 * The one-pass reading of plain whole numbers in conversions (Conversion.plainInts) gives what
 * converting and comparing each cell gives: the same values, nulls, rejects and changed cells,
 * for cast to int, float and decimal and for parse_numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conversionPlan,
  dateConverter,
  plainInt,
  type Conversion,
} from '../../src-main/engine/convert';
import { textConversion } from '../../src-main/engine/convert-text';
import { parseNumber } from '../../src-main/engine/numbers';
import { batchFromRows, type Batch } from '../../src-main/engine/table';
import type { StepSink } from '../../src-main/engine/step';
import { fuzz } from '../helpers/fuzz';

function run(conv: Conversion, onError: 'reject' | 'null', batch: Batch) {
  const got: unknown[] = [];
  const events: unknown[] = [];
  const sink = {
    emit: (b: Batch) => {
      const c = b.columns[0];
      for (let i = 0; i < b.length; i++)
        got.push(c.kind === 'num' ? (c.valid[i] ? c.values[i] : null) : c.values[i]);
    },
    reject: (_b: Batch, row: number, rule: string, message: string) =>
      events.push(['reject', row, rule, message]),
    changed: (n: number) => events.push(['changed', n]),
    warn: (m: string) => events.push(['warn', m]),
  } as unknown as StepSink;
  conversionPlan(batch.fields, [conv], onError, 'cast').process(batch, sink);
  return { got, events };
}

const text = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('0', '-0', '007', '+5', ' 5', '5 ', '1e3', '1.0', '12.5', '', '-', '1,234'),
  fc.constantFrom('999999999999999', '1000000000000000', '-999999999999999', '12345678901234567'),
  fc.stringMatching(/^-?[0-9]{0,17}$/),
  fc.string({ maxLength: 4 }),
);

describe('plain whole numbers in conversions', () => {
  it('reads them as converting each would', async () => {
    const converters: [string, Conversion['convert']][] = [
      ['int', textConversion('int')],
      ['float', textConversion('float')],
      ['decimal', textConversion('decimal')],
      ['parse_numbers', (t) => parseNumber(t)],
    ];
    await fuzz(
      'plainInts',
      fc.property(
        fc.array(fc.option(text), { maxLength: 30 }),
        fc.constantFrom(...converters),
        fc.constantFrom('reject', 'null'),
        (cells, [type, convert], onError) => {
          const batch = batchFromRows(
            ['n'],
            cells.map((c) => [c]),
          );
          const conv: Conversion = {
            col: 0,
            type: type === 'parse_numbers' ? 'decimal' : (type as 'int'),
            convert,
            expected: 'a number',
          };
          const slow = run(conv, onError as 'reject', batch);
          const fast = run({ ...conv, plainInts: true }, onError as 'reject', batch);
          expect(fast).toEqual(slow);
        },
      ),
      500,
    );
  });

  it('takes only formatNumber spellings', () => {
    expect(['0', '12', '-7', '999999999999999'].map(plainInt)).toEqual([
      0, 12, -7, 999999999999999,
    ]);
    for (const t of ['-0', '012', '+1', ' 1', '1 ', '1.0', '', '-', '1000000000000000'])
      expect(plainInt(t)).toBeNaN();
  });
});

describe('dateConverter', () => {
  it('gives each text what a fresh converter gives it, in runs of equal texts too', () => {
    const texts = [
      '1/2/2016',
      '1/2/2016',
      '01-02-2016',
      '01-02-2016',
      'x',
      'x',
      '1/2/2016',
      '',
      '',
    ];
    const formats = ['M/d/yyyy', 'MM-dd-yyyy'];
    const one = dateConverter(formats, 'date', []);
    const got = texts.map((t) => one(t));
    expect(got).toEqual(texts.map((t) => dateConverter(formats, 'date', [])(t)));
    expect(got).toEqual([16802, 16802, 16802, 16802, null, null, 16802, null, null]);
  });
});
