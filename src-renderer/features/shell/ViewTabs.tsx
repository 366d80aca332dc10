/**
 * The views as tabs (WAI-ARIA tabs pattern): one Tab stop on the shown view, Left and Right
 * (and Home, End) move to the next view and show it. Every tab controls the one panel, the
 * window's <main>, which `viewPanel` names.
 */
import { useRef } from 'react';
import { useStore } from '../../store';
import { VIEWS } from '../shortcuts/shortcuts';
import type { View } from '../../store/types';

export const PANEL_ID = 'view-panel';
const tabId = (v: View): string => `view-tab-${v}`;

/** The attributes of the panel the tabs control, for the element that shows the view. */
export function viewPanel(view: View): {
  id: string;
  role: 'tabpanel';
  'aria-labelledby': string;
} {
  return { id: PANEL_ID, role: 'tabpanel', 'aria-labelledby': tabId(view) };
}

export function ViewTabs(): React.JSX.Element {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const bar = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: React.KeyboardEvent): void => {
    const at = VIEWS.findIndex(([v]) => v === view);
    const n = VIEWS.length;
    const to = { ArrowRight: (at + 1) % n, ArrowLeft: (at + n - 1) % n, Home: 0, End: n - 1 }[
      e.key
    ];
    if (to === undefined) return;
    e.preventDefault();
    const [next] = VIEWS[to]!;
    setView(next);
    bar.current?.querySelector<HTMLElement>(`#${tabId(next)}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="views" ref={bar} onKeyDown={onKeyDown}>
      {VIEWS.map(([v, label], i) => (
        <button
          key={v}
          id={tabId(v)}
          role="tab"
          aria-selected={view === v}
          aria-controls={PANEL_ID}
          tabIndex={view === v ? 0 : -1}
          onClick={() => setView(v)}
          title={`Alt+${i + 1}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
