/**
 * validate in SQL, rule by rule as validate.ts checks them: each rule sees the values the rules
 * before it left (replaced, nulled), skips rows an earlier rule rejected, and `unique` counts a
 * value once it has been seen by the rule (on a row still in play whose other tests passed).
 */
import type { StepOf } from '../../../src-shared/recipe/steps';
import { parseBoolean, parsePlainNumber } from '../numbers';
import { resolveColumns } from '../step';
import type { Field } from '../table';
import { columns, refuse, ROW, type StepCompiler } from './builder';
import { daysOf, ident, lit, num, typedLit } from './text';

/** validate.ts EMAIL_PATTERN, in PostgreSQL's dialect (the same language for this pattern). */
const EMAIL = "'^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$'";

/** A value as validate.ts stores an allowed value or a replacement, or null when it does not fit. */
function stored(v: string | number | boolean, type: Field['type']): string | number | null {
  if (type === 'string') return String(v);
  if (type === 'boolean') {
    const b = typeof v === 'boolean' ? v : parseBoolean(String(v));
    return b === null ? null : +b;
  }
  return typeof v === 'number' ? v : parsePlainNumber(String(v));
}

/** The number validate.ts compares for a cell: day numbers for dates, ms for datetimes. */
function rawNumber(type: Field['type'], c: string): string {
  if (type === 'date') return `${daysOf(c)}::float8`;
  if (type === 'datetime') return `(extract(epoch FROM ${c}) * 1000)::float8`;
  if (type === 'boolean') return `(${c})::int::float8`;
  return c;
}

export const validateSql: StepCompiler<StepOf<'validate'>> = (step, input, out, q) => {
  const rej = ident('_sluice_rej');
  const flags = out.slice(input.length).map((f) => f.name);
  // Every flag column starts false; no row is rejected yet.
  q.add(
    `SELECT *, false AS ${rej}${flags.map((f) => `, false AS ${ident(f)}`).join('')} FROM ${q.cur}`,
  );
  step.rules.forEach((rule, r) => {
    const [col] = resolveColumns([rule.column], input, { key: 'rules' });
    const f = input[col];
    const c = ident(f.name);
    const tests: string[] = [];
    if (rule.regex !== undefined)
      refuse('regex rules (the engine runs RE2; PostgreSQL has its own dialect)');
    if (rule.email) tests.push(f.type === 'string' ? `(${c} ~ ${EMAIL})` : 'false');
    if (rule.range) {
      const x = rawNumber(f.type, c);
      if (rule.range.min !== undefined) tests.push(`(${x} >= ${num(rule.range.min)})`);
      if (rule.range.max !== undefined) tests.push(`(${x} <= ${num(rule.range.max)})`);
    }
    if (rule.allowed) {
      const values = rule.allowed.map((a) => stored(a, f.type)).filter((v) => v !== null);
      const probe = f.type === 'string' ? c : rawNumber(f.type, c);
      tests.push(
        values.length
          ? `(${probe} IN (${values.map((v) => (typeof v === 'string' ? lit(v) : num(v))).join(', ')}))`
          : 'false',
      );
    }
    const others = tests.length ? tests.join(' AND ') : 'true';
    let ok = `CASE WHEN ${c} IS NULL THEN ${rule.not_null ? 'false' : 'true'} ELSE ${others} END`;
    if (rule.unique) {
      // Seen by this rule: not rejected before it, not null, and its other tests passed.
      const reached = ident(`_sluice_seen${r}`);
      q.stages([
        [[`_sluice_seen${r}`, `(NOT ${rej} AND ${c} IS NOT NULL AND coalesce(${others}, false))`]],
      ]);
      q.stages([
        [
          [
            `_sluice_first${r}`,
            `row_number() OVER (PARTITION BY ${c}, ${reached} ORDER BY ${ROW}) = 1`,
          ],
        ],
      ]);
      ok = `CASE WHEN ${c} IS NULL THEN ${rule.not_null ? 'false' : 'true'} ELSE (${reached} AND ${ident(`_sluice_first${r}`)}) END`;
    }
    const bad = `(NOT ${rej} AND NOT coalesce(${ok}, false))`;
    const set = new Map<string, string>();
    switch (rule.on_invalid) {
      case 'reject':
        set.set('_sluice_rej', `(${rej} OR ${bad})`);
        break;
      case 'flag': {
        const flag = ident(`${rule.column}_invalid`);
        set.set(`${rule.column}_invalid`, `(${flag} OR ${bad})`);
        break;
      }
      case 'null':
        set.set(f.name, `CASE WHEN ${bad} THEN NULL ELSE ${c} END`);
        break;
      case 'replace': {
        const v = stored(rule.replacement!, f.type)!;
        set.set(f.name, `CASE WHEN ${bad} THEN ${typedLit(f.type, v)} ELSE ${c} END`);
        break;
      }
    }
    const list = [...input.map((x) => x.name), '_sluice_rej', ...flags].map((name) =>
      set.has(name) ? `${set.get(name)} AS ${ident(name)}` : ident(name),
    );
    q.add(`SELECT ${[...list, ROW].join(', ')} FROM ${q.cur}`);
  });
  q.add(`SELECT ${columns(out)} FROM ${q.cur} WHERE NOT ${rej}`);
};
