/**
 * A pane's resizable edge and the pane's remembered size: drag the splitter, or focus it and use
 * the arrow keys (Shift for bigger steps); a double-click gives the pane its first size back.
 * Sizes and whether a pane is collapsed are kept in localStorage, per pane, so the window opens
 * as it was left.
 */
import { useCallback, useRef, useState } from 'react';

const KEY = 'sluice.pane.';

interface PaneState {
  size: number;
  collapsed: boolean;
}

function remembered(id: string, initial: number): PaneState {
  try {
    const v = JSON.parse(localStorage.getItem(KEY + id) ?? 'null') as Partial<PaneState> | null;
    return {
      size: typeof v?.size === 'number' ? v.size : initial,
      collapsed: v?.collapsed === true,
    };
  } catch {
    return { size: initial, collapsed: false };
  }
}

export interface Pane extends PaneState {
  min: number;
  max: number;
  initial: number;
  resize(size: number): void;
  collapse(collapsed: boolean): void;
}

/** A pane's size (clamped to min…max) and collapsed state, remembered under `id`. */
export function usePane(id: string, initial: number, min: number, max: number): Pane {
  const [state, setState] = useState(() => remembered(id, initial));
  const save = useCallback(
    (next: PaneState) => {
      setState(next);
      localStorage.setItem(KEY + id, JSON.stringify(next));
    },
    [id],
  );
  const size = Math.min(max, Math.max(min, state.size));
  return {
    size,
    collapsed: state.collapsed,
    min,
    max,
    initial,
    resize: (s) => save({ size: Math.round(Math.min(max, Math.max(min, s))), collapsed: false }),
    collapse: (collapsed) => save({ size, collapsed }),
  };
}

/**
 * The edge between `pane` and its neighbour. `edge`: which side of the pane the splitter is on
 * (a left pane's right edge grows as it is dragged right; a right pane's left edge, as left).
 */
export function Splitter(props: {
  pane: Pane;
  label: string;
  edge: 'right' | 'left';
  testId?: string;
}): React.JSX.Element {
  const { pane, edge } = props;
  const drag = useRef<{ x: number; size: number } | null>(null);
  const sign = edge === 'right' ? 1 : -1;
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={props.label}
      aria-valuenow={pane.size}
      aria-valuemin={pane.min}
      aria-valuemax={pane.max}
      tabIndex={0}
      className="splitter"
      data-testid={props.testId}
      title="Drag to resize; double-click for the first size"
      onPointerDown={(e) => {
        drag.current = { x: e.clientX, size: pane.size };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (drag.current) pane.resize(drag.current.size + sign * (e.clientX - drag.current.x));
      }}
      onPointerUp={() => {
        drag.current = null;
      }}
      onDoubleClick={() => pane.resize(pane.initial)}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 64 : 16;
        if (e.key === 'ArrowRight') pane.resize(pane.size + sign * step);
        else if (e.key === 'ArrowLeft') pane.resize(pane.size - sign * step);
        else if (e.key === 'Home') pane.resize(pane.min);
        else if (e.key === 'End') pane.resize(pane.max);
        else if (e.key === 'Enter') pane.resize(pane.initial);
        else return;
        e.preventDefault();
      }}
    />
  );
}

/** The thin strip a collapsed pane leaves, with the button that brings it back. */
export function CollapsedRail(props: {
  label: string;
  onOpen: () => void;
  arrow: '»' | '«';
  testId?: string;
}): React.JSX.Element {
  return (
    <div className="rail">
      <button
        className="icon"
        aria-label={`show ${props.label}`}
        title={`Show ${props.label}`}
        onClick={props.onOpen}
        data-testid={props.testId}
      >
        {props.arrow}
      </button>
    </div>
  );
}

/** The small button that folds a pane away; CollapsedRail brings it back. */
export function HideButton(props: {
  label: string;
  onHide: () => void;
  arrow: '»' | '«';
  testId?: string;
}): React.JSX.Element {
  return (
    <button
      className="icon"
      aria-label={`hide ${props.label}`}
      title={`Hide the ${props.label}`}
      onClick={props.onHide}
      data-testid={props.testId}
    >
      {props.arrow}
    </button>
  );
}
