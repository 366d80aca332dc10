/** parse_numbers: currency, thousands separators, percent and (negatives) become numbers. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { conversionPlan } from '../convert';
import { parseNumber } from '../numbers';
import { resolveColumns, StepConfigError, type StepImpl } from '../step';

export const parseNumbers: StepImpl<StepOf<'parse_numbers'>> = {
  kind: 'parse_numbers',
  plan(step, input) {
    if (step.thousands === step.decimal)
      throw new StepConfigError('the thousands separator and the decimal mark must differ', [
        'thousands',
      ]);
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    const fmt = { decimal: step.decimal, thousands: step.thousands, percent: step.percent };
    const isInt = step.type === 'int';
    const convert = (text: string): number | null => {
      const n = parseNumber(text, fmt);
      if (n === null) return null;
      if (isInt && !Number.isInteger(n)) return null;
      return n;
    };
    const expected = isInt ? 'a whole number' : 'a number';
    return conversionPlan(
      input,
      cols.map((col) => ({ col, type: step.type, convert, expected, plainInts: true })),
      step.on_invalid,
      'parse_numbers',
    );
  },
};
