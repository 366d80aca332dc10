/**
 * union: this pipeline's rows followed by another table's, matched by column name. A column
 * only one side has is null on the other; a column both have with different types becomes text.
 * The other table's rows are counted as added.
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { formatValue } from '../format';
import { emitSliced, sideName, StepConfigError, type StepImpl } from '../step';
import { numColumn, rawValue, type Batch, type Column, type Field } from '../table';

export const union: StepImpl<StepOf<'union'>> = {
  kind: 'union',
  plan(step, input, ctx) {
    const other = ctx.side(step.with);
    const label = sideName(step.with);
    const names = [...input.map((f) => f.name)];
    for (const f of other.fields) if (!names.includes(f.name)) names.push(f.name);
    if (step.source_column && names.includes(step.source_column))
      throw new StepConfigError(`column "${step.source_column}" exists already`, ['source_column']);
    const fields: Field[] = names.map((name) => {
      const a = input.find((f) => f.name === name);
      const b = other.fields.find((f) => f.name === name);
      const type = a && b && a.type !== b.type ? 'string' : (a ?? b)!.type;
      return { name, type };
    });
    if (step.source_column) fields.push({ name: step.source_column, type: 'string' });
    /** A side's batch laid out in the union's columns. */
    const align = (b: Batch, sideFields: Field[], source: string): Batch => {
      const columns: Column[] = names.map((name, k) => {
        const at = sideFields.findIndex((f) => f.name === name);
        const want = fields[k].type;
        if (at < 0)
          return want === 'string'
            ? { kind: 'text', values: new Array(b.length).fill(null) }
            : numColumn(b.length);
        const col = b.columns[at];
        if (want !== 'string' || col.kind === 'text') return col;
        return {
          kind: 'text',
          values: Array.from({ length: b.length }, (_, i) => {
            const v = rawValue(col, i);
            return v === null ? null : formatValue(sideFields[at].type, v);
          }),
        };
      });
      if (step.source_column)
        columns.push({ kind: 'text', values: new Array(b.length).fill(source) });
      return { ...b, fields, columns };
    };
    return {
      fields,
      process(batch, sink) {
        sink.emit(align(batch, input, step.label));
      },
      finish(sink) {
        if (other.length === 0) return;
        sink.added(other.length);
        emitSliced(align(other, other.fields, label), sink);
      },
    };
  },
};
