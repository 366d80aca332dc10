/**
 * Shared machinery of the steps that turn text into typed values (cast, parse_dates,
 * parse_numbers): per cell, convert or fail; a failure rejects the row, nulls the cell or keeps
 * the text, as the recipe says.
 */
import type { ColumnType } from '../../src-shared/recipe/steps';
import { compileDateFormat, DateFormatError, MS_PER_DAY } from './dates';
import { formatValue, readsAs } from './format';
import { emitWith, StepConfigError, type StepPlan } from './step';
import { numColumn, type Column, type Field } from './table';

export interface Conversion {
  col: number;
  type: ColumnType;
  /** The converted number, or null when the text does not fit. */
  convert(text: string): number | null;
  /** Human words for what was expected, used in reject messages. */
  expected: string;
  /** When set, the output is text rendered from the converted value (e.g. output_format). */
  render?: (n: number) => string;
  /**
   * Set when `convert` gives every whole number written as formatNumber writes it ("12", "-7")
   * its own value: such text is then read here in one pass, converted and not changed.
   */
  plainInts?: boolean;
}

export function conversionPlan(
  input: Field[],
  convs: Conversion[],
  onError: 'reject' | 'null' | 'keep',
  rule: string,
): StepPlan {
  const fields = input.slice();
  for (const c of convs) {
    const keepsText = onError === 'keep' || c.render !== undefined;
    fields[c.col] = { name: input[c.col].name, type: keepsText ? 'string' : c.type };
  }
  return {
    fields,
    process(batch, sink) {
      const replaced = new Map<number, Column>();
      let rejected: Uint8Array | null = null;
      let changed = 0;
      let kept = 0;
      for (const c of convs) {
        const src = batch.columns[c.col];
        if (src.kind !== 'text') continue;
        const name = input[c.col].name;
        const values = src.values;
        if (onError === 'keep' || c.render) {
          const out = new Array<string | null>(batch.length);
          for (let i = 0; i < batch.length; i++) {
            const v = values[i];
            if (v === null) {
              out[i] = null;
              continue;
            }
            const n = c.convert(v);
            if (n === null) {
              if (onError === 'reject' && !rejected?.[i]) {
                rejected ??= new Uint8Array(batch.length);
                rejected[i] = 1;
                sink.reject(batch, i, rule, `${name}: "${v}" is not ${c.expected}`);
              } else if (onError === 'null') changed++;
              else kept++;
              out[i] = onError === 'null' ? null : v;
            } else {
              const t = c.render ? c.render(n) : formatValue(c.type, n);
              if (t !== v) changed++;
              out[i] = t;
            }
          }
          replaced.set(c.col, { kind: 'text', values: out });
          continue;
        }
        const out = numColumn(batch.length);
        const plainInts = c.plainInts === true;
        for (let i = 0; i < batch.length; i++) {
          const v = values[i];
          if (v === null) continue;
          if (plainInts) {
            const x = plainInt(v);
            if (x === x) {
              out.values[i] = x;
              out.valid[i] = 1;
              continue;
            }
          }
          const n = c.convert(v);
          if (n === null) {
            if (onError === 'reject') {
              if (!rejected?.[i]) {
                rejected ??= new Uint8Array(batch.length);
                rejected[i] = 1;
                sink.reject(batch, i, rule, `${name}: "${v}" is not ${c.expected}`);
              }
            } else changed++;
            continue;
          }
          out.values[i] = n;
          out.valid[i] = 1;
          // A value that now reads differently ("1/1/2016" -> 2016-01-01) is a changed cell.
          if (!readsAs(c.type, n, v)) changed++;
        }
        replaced.set(c.col, out);
      }
      if (kept > 0) sink.warn(`some values did not convert and were kept as text`);
      sink.changed(changed);
      emitWith(batch, fields, replaced, rejected, sink);
    },
  };
}

/**
 * The value of a whole number written as formatNumber writes it ("0", "12", "-7": no sign but
 * '-', no leading zero, up to 15 digits), or NaN for any other text.
 */
export function plainInt(s: string): number {
  const len = s.length;
  let i = 0;
  let neg = false;
  if (len > 0 && s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  if (i === len || len - i > 15) return NaN;
  const first = s.charCodeAt(i) - 48;
  if (first === 0) return len === 1 ? 0 : NaN; // "0", but not "-0" or "012"
  if (!(first >= 1 && first <= 9)) return NaN;
  let v = first;
  for (i++; i < len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return NaN;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/** Compiles date formats into one converter returning days (date) or ms (datetime). */
export function dateConverter(
  formats: string[],
  output: 'date' | 'datetime',
  where: (string | number)[],
): (text: string) => number | null {
  let compiled;
  try {
    compiled = formats.map((f) => compileDateFormat(f));
  } catch (e) {
    if (e instanceof DateFormatError) throw new StepConfigError(e.message, where);
    throw e;
  }
  const toOut =
    output === 'date' ? (ms: number) => Math.floor(ms / MS_PER_DAY) : (ms: number) => ms;
  // The last text and what it gave: a column's dates often come in runs (rows in date order),
  // and comparing ten characters costs less than trying each format on them again.
  let lastText: string | null = null;
  let last: number | null = null;
  return (text) => {
    if (text === lastText) return last;
    let out: number | null = null;
    for (let k = 0; k < compiled.length; k++) {
      const ms = compiled[k].parse(text);
      if (ms !== null) {
        out = toOut(ms);
        break;
      }
    }
    lastText = text;
    last = out;
    return out;
  };
}
