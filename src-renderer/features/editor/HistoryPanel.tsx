/**
 * History you can see: the recipe's edits by name ("Added trim on Name"), the current point
 * marked, a click to return to any point (the later ones stay redoable); and the versions each
 * save kept, with the diff between any two.
 */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useStore } from '../../store';
import { nameEdit } from './edit-names';
import type { VersionSide } from './VersionDiff';

const VersionDiff = lazy(() => import('./VersionDiff'));

/** Names already worked out, by the pair of texts (the history only grows at its end). */
const names = new Map<string, string>();
function nameOf(before: string, after: string): string {
  const key = `${before}\u0000${after}`;
  let n = names.get(key);
  if (n === undefined) {
    n = nameEdit(before, after);
    if (names.size > 1000) names.clear();
    names.set(key, n);
  }
  return n;
}

function Edits(): React.JSX.Element {
  const past = useStore((s) => s.editor!.past);
  const yaml = useStore((s) => s.editor!.yaml);
  const future = useStore((s) => s.editor!.future);
  const goTo = useStore((s) => s.goTo);
  const points = useMemo(() => [...past, yaml, ...future], [past, yaml, future]);
  const at = past.length;
  return (
    <ol data-testid="history-edits" aria-label="edits">
      {points.map((p, i) => (
        <li key={i} className={i > at ? 'after' : ''}>
          <button
            type="button"
            aria-current={i === at ? 'step' : undefined}
            onClick={() => goTo(i)}
            title={i === at ? 'where the recipe is now' : 'return to this point'}
          >
            <span aria-hidden="true">{i === at ? '●' : i < at ? '○' : '·'}</span>
            <span>{i === 0 ? 'As opened' : nameOf(points[i - 1], p)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function Versions(): React.JSX.Element {
  const name = useStore((s) => s.editor!.name);
  const versions = useStore((s) => s.versions);
  const versionText = useStore((s) => s.versionText);
  const items = useMemo(() => (versions?.name === name ? versions.items : []), [versions, name]);
  const [pick, setPick] = useState<{ from: string; to: string } | null>(null);
  const [sides, setSides] = useState<{ from: VersionSide; to: VersionSide } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The two newest until the user picks others.
  const from = pick?.from ?? items[1]?.hash ?? '';
  const to = pick?.to ?? items[0]?.hash ?? '';
  useEffect(() => {
    let live = true;
    const a = items.find((v) => v.hash === from);
    const b = items.find((v) => v.hash === to);
    if (!a || !b || a.hash === b.hash) return;
    Promise.all([versionText(a.hash), versionText(b.hash)])
      .then(([ta, tb]) => {
        if (live) setSides({ from: { ...a, text: ta }, to: { ...b, text: tb } });
      })
      .catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
    };
  }, [from, to, items, versionText]);
  if (versions?.error) return <div className="error">{versions.error}</div>;
  if (!items.length) return <p className="dir">No saved versions yet: each Save keeps one.</p>;
  const choose = (side: 'from' | 'to', hash: string): void => setPick({ from, to, [side]: hash });
  const option = (v: (typeof items)[number], i: number) => (
    <option key={v.hash + i} value={v.hash}>
      {v.hash.slice(0, 8)} · {new Date(v.saved_at).toLocaleString()}
    </option>
  );
  const shown = sides && sides.from.hash === from && sides.to.hash === to ? sides : null;
  return (
    <div className="versions">
      <p className="dir" data-testid="version-count">
        {items.length} saved version{items.length === 1 ? '' : 's'}
      </p>
      {items.length > 1 ? (
        <div className="form">
          <label htmlFor="version-from">compare</label>
          <select id="version-from" value={from} onChange={(e) => choose('from', e.target.value)}>
            {items.map(option)}
          </select>
          <label htmlFor="version-to">with</label>
          <select id="version-to" value={to} onChange={(e) => choose('to', e.target.value)}>
            {items.map(option)}
          </select>
        </div>
      ) : null}
      {error ? <div className="error">{error}</div> : null}
      {from === to && items.length > 1 ? <p className="dir">Pick two different versions.</p> : null}
      {shown ? (
        <Suspense fallback={<p className="dir">Loading the diff…</p>}>
          <VersionDiff from={shown.from} to={shown.to} />
        </Suspense>
      ) : null}
    </div>
  );
}

export function HistoryPanel(): React.JSX.Element {
  return (
    <section className="card history" data-testid="history">
      <details open>
        <summary>History</summary>
        <h4>Edits</h4>
        <Edits />
        <h4>Saved versions</h4>
        <Versions />
      </details>
    </section>
  );
}
