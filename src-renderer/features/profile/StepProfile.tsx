/**
 * The profile of the selected step's data after it, over every row (or the rows the facets on
 * other columns let through): a card per column with its type, empty share, distinct values,
 * range and bars to facet by; then the clusters of a text column. Collapsible, in its own box
 * below the preview, so it never takes height from the grids.
 */
import { useStore } from '../../store';
import { ClusterSection } from './ClusterSection';
import { ColumnCard } from './ColumnCard';
import './profile.css';

export function StepProfile(): React.JSX.Element {
  const sp = useStore((s) => s.stepProfile);
  const of = useStore((s) => s.preview.of);
  const open = useStore((s) => s.profileOpen);
  const setOpen = useStore((s) => s.setProfileOpen);
  const r = sp?.of === of ? sp?.result : null;
  const loading = sp?.loading ?? true;
  return (
    <section className="card profile-panel" data-testid="step-profile" aria-label="step profile">
      <div className="toolbar">
        <button
          className="collapse"
          aria-expanded={open}
          // Only while the body is there: before the first profile arrives it names nothing.
          aria-controls={open && r ? 'step-profile-body' : undefined}
          onClick={() => setOpen(!open)}
          aria-label={open ? 'Hide the profile' : 'Show the profile'}
        >
          {open ? '▾' : '▸'}
        </button>
        <h3 style={{ margin: 0 }}>
          Profile{r ? ` after step ${r.step.index + 1}: ${r.step.kind}` : ''}
        </h3>
        {r ? (
          <span className="dir" data-testid="profile-rows">
            {r.facets.length
              ? `${r.matching.toLocaleString()} of ${r.total.toLocaleString()} rows match the facets`
              : `${r.total.toLocaleString()} rows`}
            , every row counted
          </span>
        ) : null}
        {loading ? <span className="dir">profiling every row…</span> : null}
        <span className="spacer" />
        {open ? <span className="dir">click a bar to filter both grids by it</span> : null}
      </div>
      {sp?.error ? <div className="error">{sp.error}</div> : null}
      {open && r ? (
        <div id="step-profile-body" className={loading ? 'stale' : undefined}>
          <div className="profile-strip" role="list" aria-label="columns">
            {r.columns.map((c) => (
              <ColumnCard key={c.name} column={c} />
            ))}
          </div>
          <ClusterSection
            columns={r.columns.filter((c) => c.type === 'string').map((c) => c.name)}
          />
        </div>
      ) : null}
    </section>
  );
}
