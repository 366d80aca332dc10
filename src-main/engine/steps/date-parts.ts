/**
 * date_parts: year, month, day, weekday (Monday 1), quarter, ISO week, and hour and minute of
 * datetimes, into prefixed int columns; optionally whole days to another date column.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { civilFromDays, MS_PER_DAY } from '../dates';
import { isoWeekOf, quarterOf, weekdayOf } from '../expr';
import { resolveColumns, StepConfigError, type StepImpl } from '../step';
import { numColumn, type Column, type Field } from '../table';

const PART: Record<string, (days: number, ms: number) => number> = {
  year: (d) => civilFromDays(d)[0],
  month: (d) => civilFromDays(d)[1],
  day: (d) => civilFromDays(d)[2],
  weekday: (d) => weekdayOf(d),
  quarter: (d) => quarterOf(d),
  week: (d) => isoWeekOf(d),
  hour: (_d, ms) => Math.floor((ms % MS_PER_DAY) / 3_600_000),
  minute: (_d, ms) => Math.floor((ms % 3_600_000) / 60_000),
};

export const dateParts: StepImpl<StepOf<'date_parts'>> = {
  kind: 'date_parts',
  plan(step, input) {
    const [col] = resolveColumns([step.column], input, { key: 'column' });
    const type = input[col].type;
    if (type !== 'date' && type !== 'datetime')
      throw new StepConfigError(
        `"${step.column}" is ${type}; date_parts needs a date or datetime column`,
        ['column'],
      );
    if (type === 'date' && step.parts.some((p) => p === 'hour' || p === 'minute'))
      throw new StepConfigError(`"${step.column}" is a date: it has no hour or minute`, ['parts']);
    const toDays = type === 'date' ? (v: number) => v : (v: number) => Math.floor(v / MS_PER_DAY);
    const toMs = type === 'date' ? (v: number) => v * MS_PER_DAY : (v: number) => v;
    const prefix = step.prefix ?? `${step.column}_`;
    const added: Field[] = step.parts.map((p) => ({ name: prefix + p, type: 'int' }));
    let other = -1;
    let otherDays: (v: number) => number = (v) => v;
    if (step.days_between) {
      [other] = resolveColumns([step.days_between.to], input, { key: 'days_between' });
      const t = input[other].type;
      if (t !== 'date' && t !== 'datetime')
        throw new StepConfigError(`"${step.days_between.to}" is ${t}, not a date`, [
          'days_between',
          'to',
        ]);
      if (t === 'datetime') otherDays = (v) => Math.floor(v / MS_PER_DAY);
      added.push({ name: step.days_between.as, type: 'int' });
    }
    for (const f of added)
      if (input.some((x) => x.name === f.name))
        throw new StepConfigError(`column "${f.name}" exists already`, ['prefix']);
    const fields = [...input, ...added];
    return {
      fields,
      process(batch, sink) {
        const src = batch.columns[col];
        if (src.kind !== 'num') throw new Error(`${step.column} is not a date column here`);
        const cols: Column[] = step.parts.map((p) => {
          const out = numColumn(batch.length);
          const fn = PART[p];
          for (let i = 0; i < batch.length; i++) {
            if (!src.valid[i]) continue;
            out.values[i] = fn(toDays(src.values[i]), toMs(src.values[i]));
            out.valid[i] = 1;
          }
          return out;
        });
        if (other >= 0) {
          const to = batch.columns[other];
          const out = numColumn(batch.length);
          if (to.kind === 'num')
            for (let i = 0; i < batch.length; i++) {
              if (!src.valid[i] || !to.valid[i]) continue;
              out.values[i] = otherDays(to.values[i]) - toDays(src.values[i]);
              out.valid[i] = 1;
            }
          cols.push(out);
        }
        sink.emit({ ...batch, fields, columns: [...batch.columns, ...cols] });
      },
    };
  },
};
