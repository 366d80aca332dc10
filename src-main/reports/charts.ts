/**
 * The report's charts, drawn as SVG by Vega-Lite through Vega's headless renderer: no browser,
 * no canvas, no network. Each chart is a small declarative spec; the SVG goes inline into the
 * HTML report. Text is measured by estimate (no canvas), which is close enough for labels.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Phase, StepReport } from '../../src-shared/recipe/result';
import type { ColumnProfile } from '../engine/profile';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG = {
  font: FONT,
  background: null,
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 10, gridColor: '#e5e7eb', domainColor: '#9ca3af' },
  legend: { labelFontSize: 10, titleFontSize: 10 },
};

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile({
    ...spec,
    config: { ...CONFIG, ...(spec.config ?? {}) },
  } as TopLevelSpec).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // role and aria-label make the chart readable to a screen reader; the class styles it.
    return svg.replace('<svg ', '<svg role="img" ');
  } finally {
    view.finalize();
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** One bar of the waterfall: where it starts and ends on the rows axis. */
export interface WaterfallBar {
  label: string;
  from: number;
  to: number;
  kind: 'rows' | 'left out' | 'merged' | 'added';
  /** What the bar means, for its tooltip-free caption. */
  detail: string;
}

/**
 * The rows of a pipeline through its steps: rows in, then per step the rows it added (up),
 * merged into others (down, grey) and rejected or removed (down, red), then rows out.
 */
export function waterfallBars(
  rowsIn: number,
  steps: StepReport[],
  rowsOut: number,
): WaterfallBar[] {
  const bars: WaterfallBar[] = [
    { label: 'rows in', from: 0, to: rowsIn, kind: 'rows', detail: fmt(rowsIn) },
  ];
  let level = rowsIn;
  steps.forEach((s) => {
    const label = s.name;
    const lost = s.rowsRejected + s.rowsRemoved;
    if (s.rowsAdded > 0) {
      bars.push({
        label,
        from: level,
        to: level + s.rowsAdded,
        kind: 'added',
        detail: `+${fmt(s.rowsAdded)}`,
      });
      level += s.rowsAdded;
    }
    // Rows folded into others (aggregate, pivot) are not lost: a colour of their own.
    if (s.rowsMerged > 0) {
      bars.push({
        label,
        from: level - s.rowsMerged,
        to: level,
        kind: 'merged',
        detail: `−${fmt(s.rowsMerged)}`,
      });
      level -= s.rowsMerged;
    }
    if (lost > 0 || (s.rowsAdded === 0 && s.rowsMerged === 0)) {
      bars.push({
        label,
        from: level - lost,
        to: level,
        kind: 'left out',
        detail: lost ? `−${fmt(lost)}` : '0',
      });
      level -= lost;
    }
  });
  bars.push({ label: 'rows out', from: 0, to: rowsOut, kind: 'rows', detail: fmt(rowsOut) });
  // The axis starts just below the lowest level, so 19 rows out of 10,000 show as a bar; the
  // totals' bars start there too (their labels give the whole numbers).
  const levels = bars.flatMap((b) => (b.kind === 'rows' ? [b.to] : [b.from, b.to]));
  const low = Math.min(...levels);
  const high = Math.max(...levels);
  const base = high === low ? 0 : Math.max(0, Math.floor(low - (high - low) * 0.25));
  for (const b of bars) if (b.kind === 'rows') b.from = base;
  return bars;
}

const KIND_COLORS = {
  domain: ['rows', 'left out', 'merged', 'added'],
  range: ['#2563eb', '#dc2626', '#9ca3af', '#16a34a'],
};

/** The waterfall of a pipeline's rows, one bar per step. */
export function waterfallChart(
  rowsIn: number,
  steps: StepReport[],
  rowsOut: number,
): Promise<string> {
  const bars = waterfallBars(rowsIn, steps, rowsOut);
  return renderSvg({
    width: Math.min(640, Math.max(240, bars.length * 48)),
    height: 180,
    data: { values: bars.map((b, i) => ({ ...b, order: i })) },
    layer: [
      {
        mark: { type: 'bar', cornerRadius: 1 },
        encoding: {
          x: {
            field: 'label',
            type: 'ordinal',
            sort: { field: 'order' },
            title: null,
            axis: { labelAngle: -30, labelLimit: 110 },
          },
          y: { field: 'from', type: 'quantitative', title: 'rows', scale: { zero: false } },
          y2: { field: 'to' },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: KIND_COLORS,
            legend: { orient: 'top', title: null },
          },
        },
      },
      {
        mark: { type: 'text', dy: -5, fontSize: 9 },
        encoding: {
          x: { field: 'label', type: 'ordinal', sort: { field: 'order' } },
          y: { field: 'to', type: 'quantitative' },
          text: { field: 'detail' },
        },
      },
    ],
  } as TopLevelSpec);
}

/** Where a pipeline's time went: reading, each step, each output, one horizontal bar each. */
export function timingsChart(phases: Phase[]): Promise<string> {
  return renderSvg({
    width: 360,
    height: Math.max(20, phases.length * 16),
    data: { values: phases.map((p, i) => ({ phase: p.name, kind: p.kind, ms: p.ms, order: i })) },
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'phase',
        type: 'ordinal',
        sort: { field: 'order' },
        title: null,
        axis: { labelLimit: 160 },
      },
      x: { field: 'ms', type: 'quantitative', title: 'milliseconds' },
      color: {
        field: 'kind',
        type: 'nominal',
        scale: { domain: ['read', 'step', 'write'], range: ['#2563eb', '#6b7280', '#d97706'] },
        legend: null,
      },
    },
  } as TopLevelSpec);
}

/** A column's shape: its histogram (numbers, dates) or its most frequent values (text). */
export function columnChart(c: ColumnProfile): Promise<string> | null {
  if (c.histogram.length > 0)
    return renderSvg({
      width: 160,
      height: 40,
      data: {
        values: c.histogram.map((b, i) => ({
          bin: `${b.from} – ${b.to}`,
          count: b.count,
          order: i,
        })),
      },
      mark: { type: 'bar', color: '#2563eb' },
      encoding: {
        x: { field: 'bin', type: 'ordinal', sort: { field: 'order' }, axis: null },
        y: { field: 'count', type: 'quantitative', axis: null },
      },
    } as TopLevelSpec);
  const top = c.topValues.slice(0, 5);
  if (top.length === 0) return null;
  return renderSvg({
    width: 110,
    height: top.length * 11,
    data: {
      values: top.map((t, i) => ({
        value: t.value === '' ? '(empty)' : t.value,
        count: t.count,
        order: i,
      })),
    },
    mark: { type: 'bar', color: '#7c3aed' },
    encoding: {
      y: {
        field: 'value',
        type: 'ordinal',
        sort: { field: 'order' },
        title: null,
        axis: { labelLimit: 90, labelFontSize: 9, ticks: false, domain: false },
      },
      x: { field: 'count', type: 'quantitative', axis: null },
    },
  } as TopLevelSpec);
}
