/**
 * join's settings: the other side (another pipeline's output or a CSV file), the key pairs
 * picked from both sides' columns, how, and how the keys meet over every row (matched,
 * left-only, right-only), counted as soon as the settings change, before any run.
 */
import { useEffect, useState } from 'react';
import type { Result } from '../../../../src-shared/api/contract';
import { ApiCallError } from '../../../api/client';
import { useStore } from '../../../store';
import type { Col } from '../step-input';
import { Rows } from './cells';
import { ColumnInput } from './ColumnInput';
import { SidePicker, type SideRef } from './SidePicker';

type On = string | { left: string; right: string };
type Counts = Result<'pipelines.joinCounts'>;

const sideOf = (o: On): { left: string; right: string } =>
  typeof o === 'string' ? { left: o, right: o } : o;
/** A pair as short as it can be written: one name when both sides call the key the same. */
const pairOf = (left: string, right: string): On => (left === right ? left : { left, right });

/** The other side's columns, asked once per side. */
function useSideColumns(ref: SideRef | null): { columns: Col[]; error: string | null } {
  const sideColumns = useStore((s) => s.sideColumns);
  const key = JSON.stringify(ref);
  const [got, setGot] = useState<{ key: string; columns: Col[]; error: string | null }>();
  useEffect(() => {
    if (!ref) return;
    let gone = false;
    sideColumns(ref).then(
      (columns) => !gone && setGot({ key, columns, error: null }),
      (e: unknown) =>
        !gone && setGot({ key, columns: [], error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      gone = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return got?.key === key ? got : { columns: [], error: null };
}

function JoinCounts(p: { index: number }): React.JSX.Element {
  const yaml = useStore((s) => s.editor?.yaml);
  const bad = useStore((s) => (s.editor?.issues.length ?? 0) > 0);
  // Counted only once the recipe's columns say every step up to the join fits: a join on a
  // key one side lacks is a problem to show, not a request to fail.
  const problem = useStore((s) => {
    const c = s.columns;
    if (!c?.result || c.yaml !== s.editor?.yaml) return undefined;
    return c.result.steps.slice(0, p.index + 1).find((x) => x.problem)?.problem ?? null;
  });
  const joinCounts = useStore((s) => s.joinCounts);
  const [state, setState] = useState<{ of: string; counts: Counts | null; error: string | null }>();
  useEffect(() => {
    if (bad || yaml === undefined || problem !== null) return;
    let gone = false;
    setState((s) => ({ of: yaml, counts: s?.counts ?? null, error: null }));
    joinCounts(p.index + 1).then(
      (counts) => !gone && setState({ of: yaml, counts, error: null }),
      (e: unknown) => {
        if (gone || (e instanceof ApiCallError && e.code === 'conflict')) return;
        setState({ of: yaml, counts: null, error: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      gone = true;
    };
  }, [yaml, bad, problem, p.index, joinCounts]);
  const n = (v: number): string => v.toLocaleString('en-US');
  const c = state?.counts;
  const busy = state !== undefined && state.of === yaml && !state.counts && !state.error;
  return (
    <div className="join-counts" data-testid="join-counts" aria-live="polite">
      {bad ? (
        <span className="muted">fix the recipe’s problems to count matches</span>
      ) : problem ? (
        <span className="field-issue">{problem}</span>
      ) : state?.error ? (
        <span className="field-issue">{state.error}</span>
      ) : c ? (
        <>
          <span className="count ok">
            <b>{n(c.matched)}</b> matched
          </span>
          <span className={`count ${c.left_only ? 'warn' : ''}`}>
            <b>{n(c.left_only)}</b> left only
          </span>
          <span className="count">
            <b>{n(c.right_only)}</b> right only
          </span>
          {c.fan_out_rows ? (
            <span className="count warn">
              <b>{n(c.fan_out_rows)}</b> rows added by repeated right keys
            </span>
          ) : null}
          <span className="muted">
            of {n(c.left_rows)} rows, over all rows{busy ? ' (counting again…)' : ''}
          </span>
        </>
      ) : (
        <span className="muted">counting matches over all rows…</span>
      )}
    </div>
  );
}

/**
 * The key pairs kept when the other side changes: a right key it lacks becomes the left key's
 * name if it has that, else a column both sides share, so the join never names a missing key.
 */
export function remapKeys(on: On[], left: Col[], right: Col[]): On[] {
  const has = (n: string): boolean => right.some((c) => c.name === n);
  const pairs = on.map((o) => {
    const { left: l, right: r } = sideOf(o);
    if (has(r)) return o;
    if (has(l)) return l;
    const common = left.find((c) => has(c.name))?.name;
    return common ?? pairOf(l, right[0]?.name ?? r);
  });
  return pairs.length ? pairs : [left.find((c) => has(c.name))?.name ?? left[0]?.name ?? 'key'];
}

export function JoinEditor(p: {
  index: number;
  step: Record<string, unknown>;
  columns: Col[];
  known: boolean;
  pipeline: string;
  onChange(patch: Record<string, unknown>): void;
}): React.JSX.Element {
  const ref = (p.step.with ?? null) as SideRef | null;
  const right = useSideColumns(ref);
  const on = Array.isArray(p.step.on) ? (p.step.on as On[]) : [];
  const sideColumns = useStore((s) => s.sideColumns);
  const [sideError, setSideError] = useState<string | null>(null);
  const changeSide = (w: SideRef): void => {
    setSideError(null);
    // The side and its keys change in one edit, once the new side's columns are known.
    sideColumns(w).then(
      (cols) => p.onChange({ with: w, on: remapKeys(on, p.columns, cols) }),
      (e: unknown) => {
        setSideError(e instanceof Error ? e.message : String(e));
        p.onChange({ with: w });
      },
    );
  };
  return (
    <div className="join-editor">
      <SidePicker label="join with" value={ref} self={p.pipeline} onChange={changeSide} />
      {(sideError ?? right.error) ? (
        <div className="field-issue">{sideError ?? right.error}</div>
      ) : null}
      <div className="pair-head" aria-hidden>
        <span>this pipeline’s key</span>
        <span>{ref ? 'their key' : ''}</span>
      </div>
      <div role="group" aria-label="on">
        <Rows
          label="key pair"
          addLabel="Add key pair"
          rows={on}
          min={1}
          onChange={(rows) => p.onChange({ on: rows })}
          make={() => {
            const l = p.columns[0]?.name ?? 'key';
            const r = right.columns.find((c) => c.name === l)?.name ?? right.columns[0]?.name ?? l;
            return pairOf(l, r);
          }}
          render={(o, set, i) => {
            const { left, right: r } = sideOf(o);
            return (
              <>
                <ColumnInput
                  label={`key ${i + 1} left`}
                  value={left}
                  columns={p.columns}
                  known={p.known}
                  onChange={(l) =>
                    l &&
                    set(pairOf(l, r === left && right.columns.some((c) => c.name === l) ? l : r))
                  }
                />
                <ColumnInput
                  label={`key ${i + 1} right`}
                  value={r}
                  columns={right.columns}
                  known={right.columns.length > 0}
                  onChange={(x) => x && set(pairOf(left, x))}
                />
              </>
            );
          }}
        />
      </div>
      <JoinCounts index={p.index} />
    </div>
  );
}
