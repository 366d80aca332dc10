/**
 * The profile panel: with a step selected, the profile of the data after it (StepProfile);
 * otherwise the source file's column profile, over all rows: type, nulls, distinct values, top
 * values, histogram.
 */
import { useStore } from '../../store';
import { StepProfile } from './StepProfile';
import { plural } from '../../components/plural';

export function ProfilePanel(): React.JSX.Element | null {
  const stepShown = useStore((s) => s.editor?.selected != null && s.preview.of !== null);
  return stepShown ? <StepProfile /> : <SourceProfile />;
}

function SourceProfile(): React.JSX.Element | null {
  const project = useStore((s) => s.project);
  const name = useStore((s) => s.editor?.name);
  const profile = useStore((s) => s.profile);
  const load = useStore((s) => s.loadProfile);
  const select = useStore((s) => s.selectColumn);
  const source = project?.pipelines.find((p) => p.name === name)?.source;
  if (!source || source.startsWith('pipeline ')) return null;
  if (!profile || profile.path !== source)
    return (
      <section className="card">
        <h3>Column profile</h3>
        <button onClick={() => void load(source)}>Profile {source}</button>
      </section>
    );
  const cols = profile.result?.columns ?? [];
  const col = cols.find((c) => c.name === profile.column);
  const rows = profile.result?.rows ?? 0;
  const top = col?.top_values ?? [];
  const hist = col?.histogram ?? [];
  const bars = hist.length
    ? hist.map((h) => ({ label: h.from === h.to ? h.from : `${h.from} – ${h.to}`, count: h.count }))
    : top.map((t) => ({ label: t.value, count: t.count }));
  const max = Math.max(1, ...bars.map((b) => b.count));
  return (
    <section className="card" data-testid="profile">
      <h3>
        Column profile of {source} ({plural(rows, 'row')})
      </h3>
      {profile.error ? <div className="error">{profile.error}</div> : null}
      {!profile.result && !profile.error ? <span className="dir">profiling every row…</span> : null}
      {profile.result ? (
        <div className="profile">
          <div className="cols">
            {cols.map((c) => (
              <button
                key={c.name}
                className="pipe-item"
                aria-current={c.name === profile.column}
                onClick={() => select(c.name)}
              >
                <span />
                <span>{c.name}</span>
                <small>{c.type}</small>
              </button>
            ))}
          </div>
          {col ? (
            <div>
              <div className="counts">
                <span className="count">
                  type: <b>{col.type}</b> ({(col.confidence * 100).toFixed(1)}% fit)
                </span>
                <span className="count">
                  empty: <b>{((col.null_count / Math.max(1, rows)) * 100).toFixed(1)}%</b>
                </span>
                <span className="count">
                  distinct:{' '}
                  <b>
                    {col.distinct_capped ? '≈' : ''}
                    {col.distinct_count.toLocaleString()}
                  </b>
                </span>
                <span className="count">
                  min: <b>{col.min ?? '—'}</b>
                </span>
                <span className="count">
                  max: <b>{col.max ?? '—'}</b>
                </span>
              </div>
              <h3 style={{ marginTop: 10 }}>{hist.length ? 'Histogram' : 'Top values'}</h3>
              <div className="hist">
                {bars.slice(0, 20).map((b, i) => (
                  <div key={i} style={{ display: 'contents' }}>
                    <span
                      title={b.label}
                      style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                    >
                      {b.label}
                    </span>
                    <div className="bar" style={{ width: `${(b.count / max) * 100}%` }} />
                    <span>{b.count.toLocaleString()}</span>
                  </div>
                ))}
              </div>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
