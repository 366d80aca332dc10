/**
 * What the window shows of its state outside the page: its colour scheme, its title, and a
 * question before it goes with unsaved edits.
 */
import { useEffect, useLayoutEffect } from 'react';
import { useStore } from '../../store';
import { hasUnsavedEdits, windowTitle } from './title';

/**
 * Puts the chosen appearance on <html> (styles.css lets it override the system's) and tells
 * AG Grid, which reads its own attribute, whether the page is dark now. Before the first paint,
 * so a window remembered dark never flashes light.
 */
export function useAppearance(): void {
  const appearance = useStore((s) => s.appearance);
  useLayoutEffect(() => {
    document.documentElement.setAttribute('data-appearance', appearance);
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      const dark = appearance === 'dark' || (appearance === 'system' && mq.matches);
      document.body.setAttribute('data-ag-theme-mode', dark ? 'dark' : 'light');
    };
    apply();
    mq.addEventListener('change', apply);
    return () => mq.removeEventListener('change', apply);
  }, [appearance]);
}

/** Keeps document.title (and so the desktop window's title bar) in step with the state. */
export function useWindowTitle(): void {
  const title = useStore(windowTitle);
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/**
 * While the title shows its unsaved marker, closing, reloading or leaving the page asks first:
 * the browser's own question in a tab; in the desktop app the main process asks Leave or Stay
 * (src-main/app/unload.ts). The edits are kept as a draft either way.
 */
export function useUnloadGuard(): void {
  useEffect(() => {
    const guard = (e: BeforeUnloadEvent): void => {
      if (hasUnsavedEdits(useStore.getState())) e.preventDefault();
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, []);
}
