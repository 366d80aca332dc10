import { APPEARANCES, type Appearance } from '../../src-shared/desktop';
import type { AppearanceSlice, Slice } from './types';

const KEY = 'sluice.appearance';

/** The appearance chosen last in this profile; the system's until one is chosen. */
function remembered(): Appearance {
  try {
    const a = localStorage.getItem(KEY);
    return APPEARANCES.find((x) => x === a) ?? 'system';
  } catch {
    // Storage can be refused (a locked-down profile): the window still opens, as the system.
    return 'system';
  }
}

export const appearanceSlice: Slice<AppearanceSlice> = (set) => ({
  appearance: remembered(),
  setAppearance(appearance) {
    try {
      localStorage.setItem(KEY, appearance);
    } catch {
      // Not remembered, but still applied for this session.
    }
    set({ appearance });
  },
});
