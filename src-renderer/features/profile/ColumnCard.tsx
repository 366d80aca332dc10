/**
 * One column of a step's profile: its type, empty share, distinct values and range, and its
 * histogram or top values as bars; a click on a bar filters both grids by it (a facet).
 */
import type { Facet, StepColumnProfile } from '../../../src-shared/api/contract';
import { useStore } from '../../store';
import { hasValue, toggledValue } from './facet-words';

const ICONS: Record<string, string> = {
  string: 'Abc',
  email: '@',
  int: '123',
  float: '1.5',
  decimal: '1.50',
  boolean: 'T/F',
  date: 'Date',
  datetime: 'Time',
};

export function TypeIcon(props: { type: string }): React.JSX.Element {
  return (
    <span className={`type-icon t-${props.type}`} title={props.type} aria-label={props.type}>
      {ICONS[props.type] ?? props.type}
    </span>
  );
}

interface Bar {
  label: string;
  /** What the bar holds, in the tooltip (a bin's whole range). */
  range?: string;
  count: number;
  facet: Facet | null;
  on: boolean;
}

function barsOf(c: StepColumnProfile, facets: Facet[]): Bar[] {
  const rangeOn = (from: string, to: string): boolean =>
    facets.some((f) => f.kind === 'range' && f.column === c.name && f.from === from && f.to === to);
  const bars: Bar[] = c.histogram.length
    ? c.histogram.map((h) => {
        const on = rangeOn(h.from, h.to);
        return {
          // The bin's first value reads as an axis; the whole range is in the tooltip.
          label: h.from,
          range: h.from === h.to ? h.from : `${h.from} – ${h.to}`,
          count: h.count,
          facet: on ? null : { kind: 'range', column: c.name, from: h.from, to: h.to },
          on,
        };
      })
    : c.top_values.map((t) => ({
        label: t.value,
        count: t.count,
        facet: toggledValue(facets, c.name, t.value),
        on: hasValue(facets, c.name, t.value),
      }));
  if (c.null_count)
    bars.push({
      label: '(empty)',
      count: c.null_count,
      facet: toggledValue(facets, c.name, null),
      on: hasValue(facets, c.name, null),
    });
  return bars;
}

const pct = (n: number, of: number): string => `${((n / Math.max(1, of)) * 100).toFixed(1)}%`;

export function ColumnCard(props: { column: StepColumnProfile }): React.JSX.Element {
  const c = props.column;
  const facets = useStore((s) => s.preview.facets);
  const addFacet = useStore((s) => s.addFacet);
  const removeFacet = useStore((s) => s.removeFacet);
  const bars = barsOf(c, facets);
  const max = Math.max(1, ...bars.map((b) => b.count));
  const faceted = facets.some((f) => f.column === c.name);
  const click = (b: Bar): void => {
    if (b.facet) return addFacet(b.facet);
    // The bar's facet is on: a second click takes it off.
    const kind = c.histogram.length ? 'range' : 'values';
    const i = facets.findIndex((f) => f.column === c.name && f.kind === kind);
    if (i >= 0) removeFacet(i);
  };
  const others = c.distinct_count - c.top_values.length;
  // A key: a list of values each seen once says nothing; say that instead.
  const unique =
    !c.histogram.length && c.distinct_count > 1 && c.distinct_count === c.rows - c.null_count;
  return (
    <div
      className={`col-card${faceted ? ' faceted' : ''}`}
      role="listitem"
      data-testid={`profile-col-${c.name}`}
    >
      <div className="col-head">
        <TypeIcon type={c.type} />
        <b title={c.name}>{c.name}</b>
      </div>
      <div className="col-stats">
        <span title={`${c.null_count.toLocaleString()} of ${c.rows.toLocaleString()} rows empty`}>
          empty <b>{pct(c.null_count, c.rows)}</b>
        </span>
        <span>
          distinct{' '}
          <b>
            {c.distinct_capped ? '≈' : ''}
            {c.distinct_count.toLocaleString()}
          </b>
        </span>
      </div>
      {c.min !== null ? (
        <div className="col-range" title={`${c.min} – ${c.max}`}>
          {c.min} – {c.max}
        </div>
      ) : null}
      {c.inferred !== c.type ? (
        <div className="col-note">
          reads as {c.inferred}
          {c.formats?.length ? ` (${c.formats.join(', ')})` : ''}
        </div>
      ) : null}
      <div className="bars" role="group" aria-label={`${c.name} values`}>
        {unique ? <div className="col-note">every value is different (a key?)</div> : null}
        {(unique ? bars.filter((b) => b.label === '(empty)') : bars).map((b, i) => (
          <button
            key={i}
            className="bar-row"
            aria-pressed={b.on}
            title={`${b.range ?? b.label}: ${b.count.toLocaleString()} rows (${pct(b.count, c.rows)}); click to ${b.on ? 'stop filtering by it' : 'filter by it'}`}
            onClick={() => click(b)}
          >
            <span className="bar-label">{b.label}</span>
            <span className="bar-track">
              <span className="bar-fill" style={{ width: `${(b.count / max) * 100}%` }} />
            </span>
            <span className="bar-n">{b.count.toLocaleString()}</span>
          </button>
        ))}
        {!c.histogram.length && !unique && others > 0 ? (
          <small className="dir">and {others.toLocaleString()} other values</small>
        ) : null}
      </div>
    </div>
  );
}
