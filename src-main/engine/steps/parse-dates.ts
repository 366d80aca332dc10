/** parse_dates: text in any of several formats becomes one date (or datetime) column. */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { conversionPlan, dateConverter } from '../convert';
import { formatWith, MS_PER_DAY } from '../dates';
import { resolveColumns, type StepImpl } from '../step';

export const parseDates: StepImpl<StepOf<'parse_dates'>> = {
  kind: 'parse_dates',
  plan(step, input) {
    const cols = resolveColumns(step.columns, input, { textOnly: true });
    const convert = dateConverter(step.formats, step.output, ['formats']);
    const outFmt = step.output_format;
    if (outFmt) dateConverter([outFmt], step.output, ['output_format']);
    const render = outFmt
      ? (n: number) => formatWith(outFmt, step.output === 'date' ? n * MS_PER_DAY : n)
      : undefined;
    const expected = `a date in ${step.formats.map((f) => `"${f}"`).join(' or ')}`;
    return conversionPlan(
      input,
      cols.map((col) => ({ col, type: step.output, convert, expected, render })),
      step.on_invalid,
      'parse_dates',
    );
  },
};
