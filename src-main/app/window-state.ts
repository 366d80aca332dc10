/**
 * Where the window reopens: the size, place and maximised state it had, but only onto a
 * display that still exists (a laptop undocked from its second screen must not open off-screen).
 * Pure: the displays are passed in.
 */
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS place the window (centred). */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 800, maximized: false };

/** Smallest useful window; also how much of it must show on a display to count as visible. */
const MIN = { width: 640, height: 400 };
const VISIBLE = 64;

export const SavedWindow = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The state to open the window with, from what was saved (anything; invalid is ignored) and
 * the displays' work areas. A window that no display shows enough of reopens at the default
 * size where the OS puts it; one that shows is shrunk and moved to fit its display.
 * Example: `restoreWindow({x: 5000, y: 0, width: 800, height: 600}, [{x:0,y:0,width:1920,height:1040}])`
 * gives `{width: 1280, height: 800, maximized: false}`.
 */
export function restoreWindow(saved: unknown, workAreas: Rect[]): WindowState {
  const parsed = SavedWindow.safeParse(saved);
  if (!parsed.success) return { ...DEFAULT_WINDOW };
  const s = parsed.data;
  const maximized = s.maximized;
  if (s.x === undefined || s.y === undefined) {
    const biggest = workAreas.reduce<Rect | null>(
      (b, a) => (!b || a.width * a.height > b.width * b.height ? a : b),
      null,
    );
    return { ...fitSize(s, biggest), maximized };
  }
  const rect = { x: s.x, y: s.y, width: s.width, height: s.height };
  const area = workAreas.find((a) => {
    const o = overlap(rect, a);
    return o.width >= VISIBLE && o.height >= VISIBLE;
  });
  if (!area) return { ...DEFAULT_WINDOW, maximized };
  const size = fitSize(s, area);
  return {
    x: Math.min(Math.max(s.x, area.x), area.x + area.width - size.width),
    y: Math.min(Math.max(s.y, area.y), area.y + area.height - size.height),
    ...size,
    maximized,
  };
}

function fitSize(
  s: { width: number; height: number },
  area: Rect | null,
): { width: number; height: number } {
  const max = area ?? { width: Infinity, height: Infinity };
  return {
    width: Math.max(Math.min(s.width, max.width), Math.min(MIN.width, max.width)),
    height: Math.max(Math.min(s.height, max.height), Math.min(MIN.height, max.height)),
  };
}
