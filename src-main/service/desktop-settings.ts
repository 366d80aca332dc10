/**
 * The desktop shell's own settings, in desktop.json in Sluice's data folder beside recent.ts's
 * state.json: the window's last size and place, and the appearance chosen. Read leniently (a
 * damaged file means defaults), written whole and atomically.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPEARANCES, type Appearance } from '../../src-shared/desktop';
import { writeFileAtomic } from '../io/atomic-write';
import { dataHome } from '../io/data-home';

export interface DesktopSettings {
  /** As saved; restoreWindow checks it. */
  window?: unknown;
  appearance: Appearance;
}

export const settingsPath = (): string => join(dataHome(), 'desktop.json');

export function readSettings(): DesktopSettings {
  let raw: { window?: unknown; appearance?: unknown } = {};
  try {
    raw = JSON.parse(readFileSync(settingsPath(), 'utf8')) as typeof raw;
  } catch {
    // No file yet, or not JSON: defaults.
  }
  const appearance = APPEARANCES.find((a) => a === raw?.appearance) ?? 'system';
  return { window: raw?.window, appearance };
}

export function saveSettings(patch: Partial<DesktopSettings>): void {
  const next = { ...readSettings(), ...patch };
  mkdirSync(dataHome(), { recursive: true });
  writeFileAtomic(settingsPath(), JSON.stringify(next, null, 2) + '\n');
}
