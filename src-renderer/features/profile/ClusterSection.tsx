/**
 * Clusters of near-identical values of a text column (OpenRefine's key collision): tick the
 * ones to merge, edit the value they become, and "Merge selected" adds one replace step after
 * the selected step.
 */
import { useState } from 'react';
import type { Clusters } from '../../store/types';
import { useStore } from '../../store';

type Method = 'fingerprint' | 'ngram';

function ClusterList(props: { result: Clusters }): React.JSX.Element {
  const { result } = props;
  const merge = useStore((s) => s.mergeClusters);
  const [picked, setPicked] = useState<boolean[]>(() => result.clusters.map(() => true));
  const [to, setTo] = useState<string[]>(() => result.clusters.map((c) => c.proposed));
  if (!result.clusters.length)
    return (
      <p className="dir" data-testid="no-clusters">
        No clusters: no two of the {result.distinct.toLocaleString()} values share a key.
      </p>
    );
  const chosen = result.clusters.flatMap((c, i) =>
    picked[i] ? [{ values: c.values.map((v) => v.value), to: to[i] }] : [],
  );
  return (
    <>
      <p className="dir">
        {result.total_clusters.toLocaleString()} clusters among {result.distinct.toLocaleString()}{' '}
        distinct values
        {result.total_clusters > result.clusters.length
          ? ` (the ${result.clusters.length} largest shown)`
          : ''}
      </p>
      <table className="list cluster-table">
        <thead>
          <tr>
            <th>Merge</th>
            <th>Values (rows)</th>
            <th>New value</th>
          </tr>
        </thead>
        <tbody>
          {result.clusters.map((c, i) => (
            <tr key={c.key} data-testid="cluster">
              <td>
                <input
                  type="checkbox"
                  aria-label={`merge cluster ${i + 1}`}
                  checked={picked[i]}
                  onChange={(e) =>
                    setPicked(picked.map((p, k) => (k === i ? e.target.checked : p)))
                  }
                />
              </td>
              <td>
                {c.values.map((v) => (
                  <span key={v.value} className="cluster-value">
                    {v.value} <small>({v.count.toLocaleString()})</small>
                  </span>
                ))}
              </td>
              <td>
                <input
                  aria-label={`new value for cluster ${i + 1}`}
                  value={to[i]}
                  onChange={(e) => setTo(to.map((t, k) => (k === i ? e.target.value : t)))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="toolbar">
        <button
          className="primary"
          disabled={!chosen.length}
          onClick={() => merge(result.column, chosen)}
        >
          Merge selected ({chosen.length})
        </button>
        <span className="dir">adds one replace step after this step</span>
      </div>
    </>
  );
}

export function ClusterSection(props: { columns: string[] }): React.JSX.Element | null {
  const clusters = useStore((s) => s.clusters);
  const of = useStore((s) => s.preview.of);
  const find = useStore((s) => s.findClusters);
  const [column, setColumn] = useState<string>('');
  const [method, setMethod] = useState<Method>('fingerprint');
  if (!props.columns.length) return null;
  const col = props.columns.includes(column) ? column : props.columns[0];
  const mine = clusters && clusters.of === of ? clusters : null;
  return (
    <div className="clusters" data-testid="clusters">
      <div className="toolbar">
        <h4>Clusters of near-identical values</h4>
        <select aria-label="cluster column" value={col} onChange={(e) => setColumn(e.target.value)}>
          {props.columns.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select
          aria-label="cluster method"
          value={method}
          onChange={(e) => setMethod(e.target.value as Method)}
        >
          <option value="fingerprint">fingerprint</option>
          <option value="ngram">n-gram (2)</option>
        </select>
        <button onClick={() => void find(col, method)} disabled={mine?.loading}>
          Find clusters
        </button>
        {mine?.loading ? <span className="dir">looking at every row…</span> : null}
      </div>
      {mine?.error ? <div className="error">{mine.error}</div> : null}
      {mine?.result ? (
        <ClusterList
          key={`${mine.column}:${mine.method}:${mine.result.total_clusters}:${mine.result.clusters[0]?.key ?? ''}`}
          result={mine.result}
        />
      ) : null}
    </div>
  );
}
