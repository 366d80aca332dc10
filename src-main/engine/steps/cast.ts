/** cast: converts columns to int, float, decimal, boolean, date, datetime or string. */
import type { ColumnType, StepOf } from '../../../src-shared/recipe/steps';
import { conversionPlan, type Conversion } from '../convert';
import { textConversion } from '../convert-text';
import { DateFormatError, MS_PER_DAY } from '../dates';
import { formatValue } from '../format';
import { emitWith, resolveColumns, StepConfigError, type StepImpl, type StepPlan } from '../step';
import { numColumn, type Column, type Field } from '../table';

/** Cast's reading of text: the canonical parsers, with bad date formats as config errors. */
function textConverter(
  type: ColumnType,
  formats: string[] | undefined,
  key: string,
): Conversion['convert'] {
  if (type === 'string') throw new StepConfigError(`cannot cast text to ${type}`, ['columns', key]);
  try {
    return textConversion(type, formats);
  } catch (e) {
    if (e instanceof DateFormatError) throw new StepConfigError(e.message, ['formats']);
    throw e;
  }
}

const EXPECTED: Record<ColumnType, string> = {
  int: 'a whole number',
  float: 'a number',
  decimal: 'a number',
  boolean: 'true or false',
  date: 'a date',
  datetime: 'a date and time',
  string: 'text',
};

/** Conversions between typed columns: widening always works, narrowing checks each value. */
function numToNum(from: ColumnType, to: ColumnType): ((n: number) => number | null) | null {
  const numeric = ['int', 'float', 'decimal'];
  if (numeric.includes(from) && numeric.includes(to))
    return to === 'int' ? (n) => (Number.isInteger(n) ? n : null) : (n) => n;
  if (from === 'boolean' && numeric.includes(to)) return (n) => n;
  if (numeric.includes(from) && to === 'boolean') return (n) => (n === 0 || n === 1 ? n : null);
  if (from === 'date' && to === 'datetime') return (n) => n * MS_PER_DAY;
  if (from === 'datetime' && to === 'date') return (n) => Math.floor(n / MS_PER_DAY);
  if (from === to) return (n) => n;
  return null;
}

export const cast: StepImpl<StepOf<'cast'>> = {
  kind: 'cast',
  plan(step, input) {
    const wanted = Object.entries(step.columns);
    const names = wanted.map(([name]) => name);
    const cols = resolveColumns(names, input);
    const fromText: Conversion[] = [];
    const typed: { col: number; to: ColumnType; fn: ((n: number) => number | null) | 'string' }[] =
      [];
    cols.forEach((col, k) => {
      const to = wanted[k][1];
      const from = input[col].type;
      if (from === 'string') {
        if (to !== 'string')
          fromText.push({
            col,
            type: to,
            convert: textConverter(to, step.formats, names[k]),
            expected: EXPECTED[to],
            plainInts: to === 'int' || to === 'float' || to === 'decimal',
          });
      } else if (to === 'string') typed.push({ col, to, fn: 'string' });
      else {
        const fn = numToNum(from, to);
        if (!fn) throw new StepConfigError(`cannot cast ${from} to ${to}`, ['columns', names[k]]);
        typed.push({ col, to, fn });
      }
    });
    const textPlan = conversionPlan(input, fromText, step.on_error, 'cast');
    if (typed.length === 0) return textPlan;
    // A typed column cannot hold a value of another type, so there is nothing to keep.
    if (step.on_error === 'keep' && typed.some((t) => t.fn !== 'string'))
      throw new StepConfigError(
        'on_error: keep applies to casts from text; between typed columns use reject or null',
        ['on_error'],
      );
    return chainTyped(textPlan, typed, step.on_error === 'keep' ? 'reject' : step.on_error);
  },
};

/** Runs the typed-to-typed conversions on what the text conversions emit. */
function chainTyped(
  first: StepPlan,
  typed: { col: number; to: ColumnType; fn: ((n: number) => number | null) | 'string' }[],
  onError: 'reject' | 'null',
): StepPlan {
  const fields: Field[] = first.fields.slice();
  for (const t of typed) fields[t.col] = { name: fields[t.col].name, type: t.to };
  return {
    fields,
    process(batch, sink) {
      first.process(batch, {
        ...sink,
        emit(b) {
          const replaced = new Map<number, Column>();
          let rejected: Uint8Array | null = null;
          let changed = 0;
          for (const t of typed) {
            const src = b.columns[t.col];
            if (src.kind !== 'num') continue;
            const fromType = first.fields[t.col].type;
            if (t.fn === 'string') {
              const out = new Array<string | null>(b.length);
              for (let i = 0; i < b.length; i++)
                out[i] = src.valid[i] ? formatValue(fromType, src.values[i]) : null;
              replaced.set(t.col, { kind: 'text', values: out });
              continue;
            }
            const out = numColumn(b.length);
            for (let i = 0; i < b.length; i++) {
              if (!src.valid[i]) continue;
              const n = t.fn(src.values[i]);
              if (n === null) {
                if (onError === 'reject' && !rejected?.[i]) {
                  rejected ??= new Uint8Array(b.length);
                  rejected[i] = 1;
                  sink.reject(
                    b,
                    i,
                    'cast',
                    `${fields[t.col].name}: ${formatValue(fromType, src.values[i])} is not ${EXPECTED[t.to]}`,
                  );
                } else if (onError === 'null') changed++;
                continue;
              }
              out.values[i] = n;
              out.valid[i] = 1;
              if (n !== src.values[i] || fromType !== t.to)
                if (formatValue(t.to, n) !== formatValue(fromType, src.values[i])) changed++;
            }
            replaced.set(t.col, out);
          }
          sink.changed(changed);
          emitWith(b, fields, replaced, rejected, sink);
        },
      });
    },
  };
}
