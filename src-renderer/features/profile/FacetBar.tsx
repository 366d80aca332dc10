/**
 * The active facets as removable chips above the preview's grids, with how many rows of the
 * step's data match them all (counted over every row, by pipelines.profile).
 */
import { useStore } from '../../store';
import { facetWords } from '../../../src-shared/facet-words';
import './profile.css';

export function FacetBar(): React.JSX.Element | null {
  const facets = useStore((s) => s.preview.facets);
  const result = useStore((s) => s.preview.result);
  const sp = useStore((s) => s.stepProfile);
  const remove = useStore((s) => s.removeFacet);
  const clear = useStore((s) => s.clearFacets);
  if (!facets.length || !result) return null;
  const typeOf = (side: 'before' | 'after', column: string): string | undefined =>
    result[side].columns.find((c) => c.name === column)?.type;
  /** Why a facet does not filter one side, or null (the service applies the same rule). */
  const why = (side: 'before' | 'after', column: string): string | null => {
    const t = typeOf(side, column);
    if (t === undefined) return `${side} this step there is no column "${column}"`;
    const after = typeOf('after', column);
    if (side === 'before' && after !== undefined && t !== after)
      return `before this step "${column}" is ${t}, not ${after}`;
    return null;
  };
  const p = sp?.result;
  return (
    <div className="facet-bar" role="region" aria-label="facets" data-testid="facet-bar">
      <span className="facet-count" data-testid="facet-count" aria-live="polite">
        {p
          ? `${p.matching.toLocaleString()} of ${p.total.toLocaleString()} rows match`
          : 'counting…'}
        {sp?.loading && p ? ' (updating…)' : ''}
      </span>
      {facets.map((f, i) => {
        const reasons = (['before', 'after'] as const).flatMap((s) => {
          const w = why(s, f.column);
          return w ? [[s, w] as const] : [];
        });
        const missing = reasons.map(([s]) => s);
        const title = reasons.length
          ? `Only rows where ${facetWords(f)}; not applied ${reasons.map(([, w]) => w).join('; ')}`
          : `Only rows where ${facetWords(f)}, on both sides`;
        return (
          <span
            key={`${f.column}-${f.kind}`}
            className={`facet-chip${missing.length ? ' ignored' : ''}`}
            title={title}
            data-testid="facet-chip"
          >
            {facetWords(f)}
            {missing.length ? <small> (not {missing.join(', ')})</small> : null}
            <button
              className="chip-x"
              aria-label={`remove facet ${facetWords(f)}`}
              onClick={() => remove(i)}
            >
              ×
            </button>
          </span>
        );
      })}
      {facets.length > 1 ? (
        <button className="link" onClick={clear}>
          Clear all
        </button>
      ) : null}
    </div>
  );
}
