/**
 * validate: checks columns against rules (regex, email, range, allowed values, not-null,
 * unique). An invalid value rejects the row, is replaced, becomes null, or is flagged in a
 * `<column>_invalid` boolean column, per rule.
 */
import type { StepOf, ValidateRule } from '../../../src-shared/recipe/steps';
import { EMAIL_PATTERN } from '../email';
import { formatValue } from '../format';
import { parseBoolean, parsePlainNumber } from '../numbers';
import { compileRegex, emitWith, resolveColumns, StepConfigError, type StepImpl } from '../step';
import { numColumn, rawValue, type Column, type Field, type NumColumn } from '../table';

interface Check {
  rule: ValidateRule;
  col: number;
  label: string;
  test(v: string | number): boolean;
  replacement: string | number | null;
  flagCol: number;
}

export const validate: StepImpl<StepOf<'validate'>> = {
  kind: 'validate',
  plan(step, input) {
    const fields: Field[] = input.slice();
    const flagIndex = new Map<string, number>();
    const checks: Check[] = step.rules.map((rule, r) => {
      const [col] = resolveColumns([rule.column], input, { key: 'rules' });
      const type = input[col].type;
      const where = ['rules', r];
      const tests: ((v: string | number) => boolean)[] = [];
      const labels: string[] = [];
      if (rule.regex !== undefined) {
        const re = compileRegex(rule.regex, [...where, 'regex']);
        tests.push((v) => re.test(formatValue(type, v)));
        labels.push(`matches /${rule.regex}/`);
      }
      if (rule.email) {
        tests.push((v) => EMAIL_PATTERN.test(String(v)));
        labels.push('is an email address');
      }
      if (rule.range) {
        if (!['int', 'float', 'decimal', 'date', 'datetime'].includes(type))
          throw new StepConfigError(`range needs a number column; "${rule.column}" is ${type}`, [
            ...where,
            'range',
          ]);
        const { min = -Infinity, max = Infinity } = rule.range;
        tests.push((v) => (v as number) >= min && (v as number) <= max);
        labels.push(`is between ${rule.range.min ?? '-∞'} and ${rule.range.max ?? '∞'}`);
      }
      if (rule.allowed) {
        const allowed = new Set(rule.allowed.map((a) => toStored(a, type)));
        tests.push((v) => allowed.has(v));
        labels.push(`is one of ${rule.allowed.join(', ')}`);
      }
      if (rule.unique) {
        const seen = new Set<string | number>();
        tests.push((v) => {
          if (seen.has(v)) return false;
          seen.add(v);
          return true;
        });
        labels.push('is unique');
      }
      let replacement: string | number | null = null;
      if (rule.on_invalid === 'replace') {
        replacement = toStored(rule.replacement!, type);
        if (replacement === null)
          throw new StepConfigError(
            `replacement ${JSON.stringify(rule.replacement)} does not fit ${type}`,
            [...where, 'replacement'],
          );
      }
      let flagCol = -1;
      if (rule.on_invalid === 'flag') {
        const name = `${rule.column}_invalid`;
        if (!flagIndex.has(name)) {
          if (fields.some((f) => f.name === name))
            throw new StepConfigError(`column "${name}" already exists`, [...where, 'on_invalid']);
          flagIndex.set(name, fields.length);
          fields.push({ name, type: 'boolean' });
        }
        flagCol = flagIndex.get(name)!;
      }
      return {
        rule,
        col,
        replacement,
        flagCol,
        label: `${rule.column} ${[rule.not_null ? 'is not null' : '', ...labels].filter(Boolean).join(' and ')}`,
        test: (v) => tests.every((t) => t(v)),
      };
    });

    return {
      fields,
      process(batch, sink) {
        const cols: Column[] = batch.columns.slice();
        const copied = new Set<number>();
        const writable = (ci: number): Column => {
          if (!copied.has(ci)) {
            copied.add(ci);
            const c = cols[ci];
            cols[ci] =
              c.kind === 'text'
                ? { kind: 'text', values: c.values.slice() }
                : { kind: 'num', values: c.values.slice(), valid: c.valid.slice() };
          }
          return cols[ci];
        };
        for (const idx of flagIndex.values()) {
          cols[idx] = numColumn(batch.length);
          (cols[idx] as NumColumn).valid.fill(1);
        }
        let rejected: Uint8Array | null = null;
        let changed = 0;
        for (let i = 0; i < batch.length; i++) {
          for (const c of checks) {
            if (rejected?.[i]) break;
            const v = rawValue(cols[c.col], i);
            const ok = v === null ? !c.rule.not_null : c.test(v);
            if (ok) continue;
            switch (c.rule.on_invalid) {
              case 'reject':
                rejected ??= new Uint8Array(batch.length);
                rejected[i] = 1;
                sink.reject(
                  batch,
                  i,
                  `validate ${c.rule.column}`,
                  `${c.rule.column}: ${v === null ? 'null' : JSON.stringify(formatValue(input[c.col].type, v))} fails "${c.label}"`,
                );
                break;
              case 'flag':
                (cols[c.flagCol] as NumColumn).values[i] = 1;
                break;
              case 'null':
              case 'replace': {
                const target = writable(c.col);
                const nv = c.rule.on_invalid === 'null' ? null : c.replacement;
                if (target.kind === 'text') target.values[i] = nv as string | null;
                else {
                  target.valid[i] = nv === null ? 0 : 1;
                  if (nv !== null) target.values[i] = nv as number;
                }
                changed++;
                break;
              }
            }
          }
        }
        sink.changed(changed);
        emitWith({ ...batch, columns: cols }, fields, new Map(), rejected, sink);
      },
    };
  },
};

function toStored(v: string | number | boolean, type: Field['type']): string | number | null {
  if (type === 'string') return String(v);
  if (type === 'boolean') {
    const b = typeof v === 'boolean' ? v : parseBoolean(String(v));
    return b === null ? null : +b;
  }
  return typeof v === 'number' ? v : parsePlainNumber(String(v));
}
