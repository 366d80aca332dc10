/**
 * validate's rules, one row each: the column, what it must be (not empty, unique, an email
 * address, matching a pattern, within a range, one of some values) with that check's settings,
 * and what to do with a row that fails.
 */
import type { Col } from '../step-input';
import { withKey } from './AggregateRows';
import { Choice, Rows, TextCell } from './cells';
import { ColumnInput } from './ColumnInput';

type Scalar = string | number | boolean;
interface Rule {
  column: string;
  regex?: string;
  email?: boolean;
  range?: { min?: number; max?: number };
  allowed?: Scalar[];
  not_null?: boolean;
  unique?: boolean;
  on_invalid?: 'reject' | 'replace' | 'null' | 'flag';
  replacement?: Scalar;
}

const CHECKS = ['not_null', 'unique', 'email', 'regex', 'range', 'allowed'] as const;
type Check = (typeof CHECKS)[number];
const STARTS: Record<Check, Partial<Rule>> = {
  not_null: { not_null: true },
  unique: { unique: true },
  email: { email: true },
  regex: { regex: '^.+$' },
  range: { range: { min: 0 } },
  allowed: { allowed: ['a'] },
};

const checkOf = (r: Rule): Check => CHECKS.find((c) => r[c] !== undefined) ?? 'not_null';

/** Allowed values as typed, numbers kept as numbers. */
const valuesOf = (text: string): Scalar[] =>
  text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v));

function CheckSettings(p: { rule: Rule; n: number; set(r: Rule): void }): React.JSX.Element | null {
  const { rule: r, n, set } = p;
  const num = (v: string | undefined): number | undefined =>
    v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v);
  switch (checkOf(r)) {
    case 'regex':
      return (
        <TextCell
          label={`rule ${n} pattern`}
          value={r.regex}
          onChange={(v) => set({ ...r, regex: v ?? '' })}
        />
      );
    case 'range':
      return (
        <span className="pair">
          <TextCell
            label={`rule ${n} min`}
            type="number"
            placeholder="min"
            value={r.range?.min === undefined ? undefined : String(r.range.min)}
            onChange={(v) => set({ ...r, range: withKey(r.range ?? {}, 'min', num(v)) })}
          />
          <TextCell
            label={`rule ${n} max`}
            type="number"
            placeholder="max"
            value={r.range?.max === undefined ? undefined : String(r.range.max)}
            onChange={(v) => set({ ...r, range: withKey(r.range ?? {}, 'max', num(v)) })}
          />
        </span>
      );
    case 'allowed':
      return (
        <TextCell
          label={`rule ${n} allowed values`}
          placeholder="values, separated by commas"
          value={(r.allowed ?? []).join(', ')}
          onChange={(v) => set({ ...r, allowed: valuesOf(v ?? '') })}
        />
      );
    default:
      return <span />;
  }
}

export function ValidateRules(p: {
  value: unknown;
  columns: Col[];
  known: boolean;
  onChange(v: Rule[]): void;
}): React.JSX.Element {
  const rules = Array.isArray(p.value) ? (p.value as Rule[]) : [];
  return (
    <Rows
      label="rule"
      addLabel="Add rule"
      rows={rules}
      min={1}
      onChange={p.onChange}
      make={() => ({ column: p.columns[0]?.name ?? 'column', not_null: true })}
      render={(r, set, i) => (
        <>
          <ColumnInput
            label={`rule ${i + 1} column`}
            value={r.column}
            columns={p.columns}
            known={p.known}
            onChange={(column) => column && set({ ...r, column })}
          />
          <Choice
            label={`rule ${i + 1} check`}
            value={checkOf(r)}
            options={CHECKS}
            onChange={(c) => {
              const rest = { ...r };
              for (const k of CHECKS) delete rest[k];
              set({ ...rest, ...STARTS[c] });
            }}
          />
          <CheckSettings rule={r} n={i + 1} set={set} />
          <Choice
            label={`rule ${i + 1} on invalid`}
            value={r.on_invalid}
            empty="reject (default)"
            options={['reject', 'replace', 'null', 'flag'] as const}
            onChange={(v) =>
              set(
                v === 'replace'
                  ? { ...r, on_invalid: v, replacement: r.replacement ?? '' }
                  : withKey({ ...r, on_invalid: v }, 'replacement', undefined),
              )
            }
          />
          {r.on_invalid === 'replace' ? (
            <TextCell
              label={`rule ${i + 1} replacement`}
              value={r.replacement === undefined ? undefined : String(r.replacement)}
              onChange={(v) => set({ ...r, replacement: v ?? '' })}
            />
          ) : null}
        </>
      )}
    />
  );
}
